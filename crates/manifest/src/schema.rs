//! A small JSON Schema validator for the schemas this crate publishes.
//!
//! Why not the `jsonschema` crate: it pulls in a regex engine, an HTTP
//! resolver and dozens of crates, which is a lot of build time on a 2-core
//! machine for checking two schemas we generate ourselves. This validator
//! implements exactly the keywords schemars emits for our types (draft
//! 2020-12: `type`, `properties`, `required`, `additionalProperties`, `items`,
//! `prefixItems`, `minItems`, `maxItems`, `minimum`, `maximum`, `format` for
//! integer widths, `$ref` into `$defs`, `anyOf`/`oneOf`/`allOf`, `const`,
//! `enum`, and the three `pattern`s the manifests use). Any other keyword is
//! reported as unsupported rather than ignored, so a schema change that needs
//! more is caught by the tests instead of silently passing everything.

use serde_json::Value;

/// Keywords that carry no constraint.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "default", "examples", "$defs", "definitions"];

/// Validates `value` against `schema` (which must be a root schema: `$ref`s
/// are resolved against it). Returns every problem as "<pointer>: <message>".
pub fn validate(schema: &Value, value: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    check(schema, schema, value, "", &mut errors, 0);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// `$ref` chains deeper than this are treated as a broken schema.
const MAX_DEPTH: usize = 64;

fn check(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>, depth: usize) {
    let here = if at.is_empty() { "/" } else { at };
    if depth > MAX_DEPTH {
        errors.push(format!("{here}: schema nesting too deep"));
        return;
    }
    let obj = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            errors.push(format!("{here}: no value is allowed here"));
            return;
        }
        Value::Object(obj) => obj,
        _ => {
            errors.push(format!("{here}: malformed schema"));
            return;
        }
    };
    for (keyword, arg) in obj {
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => match arg.as_str().and_then(|r| resolve(root, r)) {
                Some(target) => check(root, target, value, at, errors, depth + 1),
                None => errors.push(format!("{here}: unresolvable $ref {arg}")),
            },
            "type" => {
                let types: Vec<&str> = match arg {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    errors.push(format!("{here}: expected {}, found {}", types.join(" or "), type_name(value)));
                }
            }
            "properties" => {
                if let (Some(props), Some(map)) = (arg.as_object(), value.as_object()) {
                    for (name, sub) in props {
                        if let Some(v) = map.get(name) {
                            check(root, sub, v, &format!("{at}/{}", escape(name)), errors, depth + 1);
                        }
                    }
                }
            }
            "required" => {
                if let (Some(req), Some(map)) = (arg.as_array(), value.as_object()) {
                    for name in req.iter().filter_map(Value::as_str) {
                        if !map.contains_key(name) {
                            errors.push(format!("{here}: missing required field `{name}`"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(map) = value.as_object() {
                    let known = obj.get("properties").and_then(Value::as_object);
                    for (name, v) in map {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        if arg == &Value::Bool(false) {
                            errors.push(format!("{here}: unknown field `{name}`"));
                        } else {
                            check(root, arg, v, &format!("{at}/{}", escape(name)), errors, depth + 1);
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    let skip = obj.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
                    for (i, item) in items.iter().enumerate().skip(skip) {
                        check(root, arg, item, &format!("{at}/{i}"), errors, depth + 1);
                    }
                }
            }
            "prefixItems" => {
                if let (Some(schemas), Some(items)) = (arg.as_array(), value.as_array()) {
                    for (i, (sub, item)) in schemas.iter().zip(items).enumerate() {
                        check(root, sub, item, &format!("{at}/{i}"), errors, depth + 1);
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(n), Some(items)) = (arg.as_u64(), value.as_array()) {
                    let len = items.len() as u64;
                    if (keyword == "minItems" && len < n) || (keyword == "maxItems" && len > n) {
                        errors.push(format!("{here}: {len} items, {keyword} is {n}"));
                    }
                }
            }
            "minimum" | "maximum" => {
                if let (Some(limit), Some(v)) = (arg.as_f64(), value.as_f64())
                    && ((keyword == "minimum" && v < limit) || (keyword == "maximum" && v > limit))
                {
                    errors.push(format!("{here}: {value} violates {keyword} {limit}"));
                }
            }
            "format" => check_format(arg.as_str().unwrap_or(""), value, here, errors),
            "pattern" => {
                if let Some(s) = value.as_str() {
                    match arg.as_str().and_then(known_pattern) {
                        Some(matches) if matches(s) => {}
                        Some(_) => errors.push(format!("{here}: {s:?} does not match pattern {arg}")),
                        None => errors.push(format!("{here}: unsupported pattern {arg}")),
                    }
                }
            }
            "anyOf" | "oneOf" => {
                let subs = arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
                let passing = subs
                    .iter()
                    .filter(|sub| {
                        let mut sink = Vec::new();
                        check(root, sub, value, at, &mut sink, depth + 1);
                        sink.is_empty()
                    })
                    .count();
                let ok = if keyword == "anyOf" { passing >= 1 } else { passing == 1 };
                if !ok {
                    errors.push(format!("{here}: matches {passing} of the {keyword} alternatives"));
                }
            }
            "allOf" => {
                for sub in arg.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                    check(root, sub, value, at, errors, depth + 1);
                }
            }
            "const" => {
                if value != arg {
                    errors.push(format!("{here}: expected {arg}"));
                }
            }
            "enum" => {
                if !arg.as_array().is_some_and(|a| a.contains(value)) {
                    errors.push(format!("{here}: {value} is not one of {arg}"));
                }
            }
            other => errors.push(format!("{here}: unsupported schema keyword `{other}`")),
        }
    }
}

/// Resolves `#/$defs/Name` (and `#` itself) in the root schema.
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// schemars writes integer widths as `format`; they bound the value.
fn check_format(format: &str, value: &Value, here: &str, errors: &mut Vec<String>) {
    let bound = match format {
        "uint8" => u8::MAX as u64,
        "uint16" => u16::MAX as u64,
        "uint32" => u32::MAX as u64,
        "uint64" | "uint" => u64::MAX,
        // Other formats are annotations in draft 2020-12.
        _ => return,
    };
    if value.is_number() && value.as_u64().is_none_or(|v| v > bound) {
        errors.push(format!("{here}: {value} is not a {format}"));
    }
}

/// JSON pointer escaping of one path segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The patterns the manifest schemas use, implemented by hand (no regex engine).
fn known_pattern(pattern: &str) -> Option<fn(&str) -> bool> {
    if pattern == crate::manifest::HASH_PATTERN {
        Some(|s| {
            s.strip_prefix("sha256:")
                .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        })
    } else if pattern == crate::manifest::PATH_PATTERN {
        Some(|s| !s.is_empty() && !s.starts_with('/') && !s.contains('\\'))
    } else if pattern == crate::manifest::NAME_PATTERN {
        Some(|s| crate::config::validate_name(s).is_ok())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate;

    #[test]
    fn reports_missing_unknown_and_wrong_types() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "integer", "format": "uint16"}, "b": {"$ref": "#/$defs/B"}},
            "required": ["a"],
            "additionalProperties": false,
            "$defs": {"B": {"type": "array", "items": {"type": "string"}}}
        });
        assert!(validate(&schema, &json!({"a": 3, "b": ["x"]})).is_ok());
        let errs = validate(&schema, &json!({"a": 70000, "b": [1], "c": null})).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        let errs = validate(&schema, &json!({})).unwrap_err();
        assert!(errs[0].contains("missing required field `a`"));
    }

    #[test]
    fn unsupported_keywords_are_errors() {
        let errs = validate(&json!({"multipleOf": 2}), &json!(4)).unwrap_err();
        assert!(errs[0].contains("unsupported"));
    }
}
