0 42 1_000 0x1F 0X_ff 0o17 0b1010 017
1.5 1. .5 1e10 1.5e-3 0x1p-2 0x1.8p3
2i 1.5i 0x10i
'a' '\n' '\'' '\x41' '\u00e9' 'é' 'print-hello-world'
"hello\tworld\n" "quote \" inside" "é" ""
`raw
string with \n kept`
