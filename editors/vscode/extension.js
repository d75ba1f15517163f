// Starts `g2n lsp` (the path from the `g2n.path` setting) for Go files and
// YAML files, and restarts it when the setting changes. Everything the
// editor shows comes from the server: this file only connects the two.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function serverPath() {
  return vscode.workspace.getConfiguration('g2n').get('path') || 'g2n';
}

async function start() {
  const command = serverPath();
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'g2n',
    'Go2Network',
    { run: server, debug: server },
    {
      // The server publishes nothing for YAML files that are not
      // nanoservice configs (no top-level `code:` key).
      documentSelector: [
        { scheme: 'file', language: 'go' },
        { scheme: 'file', language: 'yaml' },
      ],
    },
  );
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    vscode.window.showErrorMessage(
      `Go2Network: could not start \`${command} lsp\` (${error.message || error}). Set g2n.path to the g2n executable.`,
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('g2n.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('g2n.path')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
