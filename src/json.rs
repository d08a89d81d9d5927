//! JSON documents from clients, read so that a syntax error is a 400 and a document of the
//! wrong shape is a 422 naming the field: for request bodies and imported lines alike.

use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// No document of ours nests deeper than a handful of levels.
pub const MAX_DEPTH: usize = 32;

/// Parses JSON, telling syntax errors (400) from documents of the wrong shape (422, with the field).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if depth(body) > MAX_DEPTH {
        return Err(ApiError::validation(
            "body",
            format!("is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let error = error.into_inner();
        match error.classify() {
            serde_json::error::Category::Data => {
                ApiError::validation(field_of(&path, &error), without_position(&error))
            }
            _ => ApiError::MalformedBody(error.to_string()),
        }
    })?;
    deserializer
        .end()
        .map_err(|error| ApiError::MalformedBody(error.to_string()))?;
    // serde also reads a struct from an array of its fields in order; no document of ours
    // is an array, so one is a mistake, not a shorthand (`null` may stand for none).
    if body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::validation("body", "must be a JSON object"));
    }
    Ok(value)
}

/// How deeply arrays and objects nest, outside strings; a cheap pass before parsing.
fn depth(body: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &byte in body {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The field an error is about. A key given twice or left out is reported against the object
/// holding it; the key itself is the field the client has to fix.
fn field_of(path: &str, error: &serde_json::Error) -> String {
    let message = error.to_string();
    let named = ["duplicate field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match (path, named) {
        (".", Some(name)) => name.to_owned(),
        (_, Some(name)) => format!("{path}.{name}"),
        (".", None) => "body".to_owned(),
        _ => path.to_owned(),
    }
}

/// serde_json ends messages with "at line 1 column 42", which means nothing next to a field path.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_errors_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            items: Vec<u8>,
        }
        match parse_json::<Doc>(br#"{"items": [1, "x"]}"#) {
            Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, "items[1]"),
            other => panic!("unexpected {other:?}"),
        }
        for twice_or_missing in [&br#"{"items": [], "items": [1]}"#[..], b"{}"] {
            match parse_json::<Doc>(twice_or_missing) {
                Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, "items"),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(matches!(
            parse_json::<Doc>(b"{\"items\": ["),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(matches!(
            parse_json::<Doc>(b"{\"items\": []} trailing"),
            Err(ApiError::MalformedBody(_))
        ));
        match parse_json::<Doc>(b" [[1, 2]]") {
            Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, "body"),
            other => panic!("unexpected {other:?}"),
        }
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(matches!(
            parse_json::<Doc>(deep.as_bytes()),
            Err(ApiError::Validation(_))
        ));
        assert_eq!(depth(br#"{"a": "[[[[[[", "b": [{"c": "\"]]"}]}"#), 3);
    }
}
