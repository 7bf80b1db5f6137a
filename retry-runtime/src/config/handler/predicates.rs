//! A filter's `predicate`: the connector's `{{ 'code' in response }}` and field equality, read
//! by persevere itself, or the name of a predicate the program registers ([`Predicates`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::config::error::one_of;
use crate::config::handler::response::Seen;
use crate::config::model::closest;

/// A predicate the program registers, as [`Predicates::with`] keeps it.
type Named = Arc<dyn Fn(&Seen<'_>) -> bool + Send + Sync>;

/// A filter's `predicate`, read from the file: one of the expressions persevere reads over the
/// response's body decoded as JSON, or the name of a predicate the program registered.
///
/// | written | true when |
/// |---|---|
/// | `{{ 'code' in response }}` | the body is a JSON object with the field `code` (or an array holding the string `"code"`) |
/// | `{{ 'code' not in response }}` | the body is JSON without it |
/// | `{{ response.status == 'failed' }}` | the field equals the value (`!=`: differs; a missing field is `null`) |
/// | `{{ response.error }}` | the field is there and not `null`, `false`, `0`, `""`, `[]` or `{}` |
/// | `quota_exceeded` | the predicate the program registered under that name says so |
///
/// A path is `response` followed by `.field`, `['field']`, `[0]` or `.get('field')`, as
/// deep as needed (`response.errors[0].code`); `'field' in response.error` looks inside a
/// nested object. Values are strings in either quotes, numbers (compared as numbers: `1 ==
/// 1.0`), `true`, `false` and `null` (`True`, `False`, `None` too). A body that is not JSON
/// makes every expression false, `!=` and `not in` included.
///
/// ```
/// # use persevere_runtime as persevere;
/// use http::Response;
/// use persevere::config::handler::{ErrorHandler, Seen};
///
/// let handler: ErrorHandler = serde_norway::from_str(r#"
/// response_filters:
///   - predicate: "{{ response.errors[0].code == 'LOCKED' }}"
///     action: RETRY
/// "#)?;
/// let predicate = handler.handlers()[0].response_filters()[0].predicate().unwrap();
/// assert_eq!(predicate.text(), "{{ response.errors[0].code == 'LOCKED' }}");
///
/// let test = |body| predicate.test(&Seen::new(&Response::builder().status(409).body(body).unwrap(), true));
/// assert!(test(r#"{"errors": [{"code": "LOCKED"}]}"#));
/// assert!(!test(r#"{"errors": [{"code": "CONFLICT"}]}"#));
/// assert!(!test("<html>conflict</html>")); // not JSON
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Clone)]
pub struct Predicate {
    text: Arc<str>,
    test: Test,
}

#[derive(Clone)]
enum Test {
    /// `'key' in response.path`, or `not in` when `present` is false.
    Has {
        key: String,
        path: Vec<Step>,
        present: bool,
    },
    /// `response.path == value`, or `!=` when `equal` is false.
    Equals {
        path: Vec<Step>,
        value: Value,
        equal: bool,
    },
    /// `response.path`: there and truthy.
    Truthy { path: Vec<Step> },
    /// A predicate the program registered.
    Named(Named),
}

/// One step of a path into the decoded body.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Index(usize),
}

impl fmt::Debug for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Predicate").field(&&*self.text).finish()
    }
}

/// Two predicates are the same when they are written the same.
impl PartialEq for Predicate {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Predicate {
    /// The predicate as the file wrote it.
    ///
    /// See [`Predicate`] for an example.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the predicate holds for `seen`.
    ///
    /// See [`Predicate`] for an example.
    pub fn test(&self, seen: &Seen<'_>) -> bool {
        match &self.test {
            Test::Named(predicate) => predicate(seen),
            Test::Has { key, path, present } => {
                let Some(found) = seen.json().and_then(|body| lookup(body, path)) else {
                    return false;
                };
                let has = match found {
                    Value::Object(fields) => fields.contains_key(key),
                    Value::Array(items) => items.iter().any(|item| item.as_str() == Some(key)),
                    Value::String(text) => text.contains(key.as_str()),
                    _ => false,
                };
                has == *present
            }
            Test::Equals { path, value, equal } => {
                let Some(body) = seen.json() else {
                    return false;
                };
                let found = lookup(body, path).unwrap_or(&Value::Null);
                same(found, value) == *equal
            }
            Test::Truthy { path } => seen
                .json()
                .and_then(|body| lookup(body, path))
                .is_some_and(truthy),
        }
    }

    /// Reads `text` as a predicate: an expression in `{{ }}`, or the name of one of the
    /// predicates in force ([`Predicates::reading`]). The error completes a sentence that
    /// begins with the setting's name.
    pub(crate) fn parse(text: &str) -> Result<Predicate, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(format!("is empty; write {}", WRITE_INSTEAD));
        }
        let test = match trimmed.strip_prefix("{{") {
            Some(inside) => {
                let Some(inside) = inside.strip_suffix("}}") else {
                    return Err(format!(
                        "is {text:?}, which opens `{{{{` but does not close it with `}}}}`; write {WRITE_INSTEAD}"
                    ));
                };
                expression(inside).map_err(|detail| {
                    format!(
                        "is {text:?}, which persevere cannot read ({detail}); write {WRITE_INSTEAD}"
                    )
                })?
            }
            None => Test::Named(registered(trimmed)?),
        };
        Ok(Predicate {
            text: text.into(),
            test,
        })
    }
}

/// What a message offers instead of a predicate it cannot read.
const WRITE_INSTEAD: &str = "`{{ 'field' in response }}`, `{{ response.field == 'value' }}` (or `!=`) or `{{ response.field }}`, or the name of a predicate the program registers (`Predicates::with`)";

/// The predicate registered as `name` in the predicates in force.
fn registered(name: &str) -> Result<Named, String> {
    IN_FORCE.with_borrow(|in_force| {
        let names: Vec<&str> = in_force
            .as_ref()
            .map(|predicates| predicates.names().collect())
            .unwrap_or_default();
        if let Some(predicate) = in_force
            .as_ref()
            .and_then(|predicates| predicates.named.get(name))
        {
            return Ok(Arc::clone(predicate));
        }
        let registers = if names.is_empty() {
            "this program registers none while reading the file".to_owned()
        } else {
            format!("this program registers {}", one_of(&names))
        };
        let guess = closest(name, &names)
            .map(|guess| format!("; did you mean `{guess}`?"))
            .unwrap_or_default();
        Err(format!(
            "names the predicate `{name}`, which is not registered: {registers}{guess}. A predicate is {WRITE_INSTEAD}, read inside `Predicates::reading`"
        ))
    })
}

thread_local! {
    /// The predicates [`Predicates::reading`] puts in force while a file is read.
    static IN_FORCE: RefCell<Option<Predicates>> = const { RefCell::new(None) };
}

/// Predicates the program registers by name, for files to refer to: anything the expressions
/// persevere reads cannot say (a header, a status family, a regular expression, two fields at
/// once). A filter names one with a bare `predicate: quota_exceeded`.
///
/// The names are checked while the file is read, so a name the program does not register is
/// an error that points at it, with its line and column. Read the file inside
/// [`reading`](Self::reading), which puts the predicates in force for that thread while the
/// closure runs, whatever the format and however deep the handler sits in the file:
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::handler::{ErrorHandler, Predicates, Seen};
///
/// let predicates = Predicates::new().with("quota_exceeded", |response: &Seen<'_>| {
///     response.header("x-quota-remaining") == Some("0")
/// });
/// let yaml = "
/// response_filters:
///   - predicate: quota_exceeded
///     action: FAIL
/// ";
/// let handler: ErrorHandler = predicates.reading(|| serde_norway::from_str(yaml))?;
/// assert_eq!(handler.handlers()[0].response_filters()[0].predicate().unwrap().text(), "quota_exceeded");
///
/// // Outside `reading`, or with a name it does not register, the file is refused.
/// let error = serde_norway::from_str::<ErrorHandler>(yaml).unwrap_err().to_string();
/// assert!(error.contains("`response_filters[0].predicate` names the predicate `quota_exceeded`, which is not registered"), "{error}");
/// assert!(error.contains("line 3 column 16"), "{error}");
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Predicates {
    named: BTreeMap<String, Named>,
}

impl fmt::Debug for Predicates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl Predicates {
    /// No predicates.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::handler::Predicates;
    ///
    /// assert_eq!(Predicates::new().names().count(), 0);
    /// ```
    pub fn new() -> Self {
        Predicates::default()
    }

    /// Registers `predicate` as `name` (replacing one of that name). A file refers to it by the
    /// name, without braces; a name that begins with `{{` cannot be referred to, since the file
    /// would be read as an expression.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::{Action, ErrorHandler, Predicates, Seen};
    ///
    /// // A status family, which the expressions cannot say.
    /// let predicates = Predicates::new()
    ///     .with("client_error", |seen: &Seen<'_>| seen.status().is_some_and(|s| s.is_client_error()));
    /// let handler: ErrorHandler = predicates.reading(|| serde_norway::from_str("
    /// response_filters:
    ///   - predicate: client_error
    ///     action: FAIL
    /// "))?;
    /// let gone = Response::builder().status(410).body("").unwrap();
    /// assert_eq!(handler.decide(&Seen::new(&gone, true)).action, Action::Fail);
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn with<F>(mut self, name: impl Into<String>, predicate: F) -> Self
    where
        F: Fn(&Seen<'_>) -> bool + Send + Sync + 'static,
    {
        self.named
            .insert(name.into().trim().to_owned(), Arc::new(predicate));
        self
    }

    /// The registered names, in order.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::handler::Predicates;
    ///
    /// let predicates = Predicates::new().with("quota", |_| false).with("locked", |_| false);
    /// assert_eq!(predicates.names().collect::<Vec<_>>(), ["locked", "quota"]);
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.named.keys().map(String::as_str)
    }

    /// Runs `read` with these predicates in force on this thread, and returns what it returns:
    /// wrap the call that reads the file (`predicates.reading(|| toml::from_str(&text))`). The
    /// predicates in force before are restored afterwards, even if `read` panics.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::config::handler::{ErrorHandler, Predicates};
    ///
    /// let predicates = Predicates::new().with("maintenance", |seen| seen.header("x-maintenance").is_some());
    /// let yaml = "
    /// response_filters:
    ///   - predicate: maintenance
    ///     action: RETRY
    /// ";
    /// assert!(predicates.reading(|| serde_norway::from_str::<ErrorHandler>(yaml)).is_ok());
    /// assert!(serde_norway::from_str::<ErrorHandler>(yaml).is_err()); // no longer in force
    /// ```
    pub fn reading<R>(&self, read: impl FnOnce() -> R) -> R {
        /// Puts back the predicates that were in force, when dropped.
        struct Restore(Option<Predicates>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let before = self.0.take();
                IN_FORCE.with_borrow_mut(|in_force| *in_force = before);
            }
        }
        let before = IN_FORCE.with_borrow_mut(|in_force| in_force.replace(self.clone()));
        let _restore = Restore(before);
        read()
    }
}

// ---- The expressions ----

/// A token of an expression.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Number(serde_json::Number),
    Word(String),
    Dot,
    Open,
    Close,
    OpenParen,
    CloseParen,
    Equal,
    NotEqual,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Text(text) => write!(f, "{text:?}"),
            Token::Number(number) => write!(f, "{number}"),
            Token::Word(word) => f.write_str(word),
            Token::Dot => f.write_str("."),
            Token::Open => f.write_str("["),
            Token::Close => f.write_str("]"),
            Token::OpenParen => f.write_str("("),
            Token::CloseParen => f.write_str(")"),
            Token::Equal => f.write_str("=="),
            Token::NotEqual => f.write_str("!="),
        }
    }
}

/// The tokens of `text`, or what could not be read.
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '\'' | '"' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        None => return Err(format!("a string opened with {c} is not closed")),
                        Some(end) if end == c => break,
                        Some('\\') => match chars.next() {
                            Some(escaped) => text.push(escaped),
                            None => return Err(format!("a string opened with {c} is not closed")),
                        },
                        Some(other) => text.push(other),
                    }
                }
                tokens.push(Token::Text(text));
            }
            '0'..='9' | '-' | '+' => {
                let mut number = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+') {
                        number.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let unsigned = number.strip_prefix('+').unwrap_or(&number);
                let parsed = serde_json::from_str::<serde_json::Number>(unsigned)
                    .map_err(|_| format!("`{number}` is not a number"))?;
                tokens.push(Token::Number(parsed));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_alphanumeric() || c == '_' {
                        word.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            '.' | '[' | ']' | '(' | ')' => {
                chars.next();
                tokens.push(match c {
                    '.' => Token::Dot,
                    '[' => Token::Open,
                    ']' => Token::Close,
                    '(' => Token::OpenParen,
                    _ => Token::CloseParen,
                });
            }
            '=' | '!' => {
                chars.next();
                if chars.next() != Some('=') {
                    return Err(format!("`{c}` is not an operator; write `==` or `!=`"));
                }
                tokens.push(if c == '=' {
                    Token::Equal
                } else {
                    Token::NotEqual
                });
            }
            other => return Err(format!("`{other}` has no meaning here")),
        }
    }
    Ok(tokens)
}

/// Reads the tokens of an expression, front to back.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += usize::from(token.is_some());
        token
    }

    fn expect(&mut self, wanted: &Token, after: &str) -> Result<(), String> {
        match self.next() {
            Some(token) if token == *wanted => Ok(()),
            Some(token) => Err(format!("expected `{wanted}` {after}, found `{token}`")),
            None => Err(format!("expected `{wanted}` {after}")),
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    /// `response` and the steps after it.
    fn path(&mut self) -> Result<Vec<Step>, String> {
        match self.next() {
            Some(Token::Word(word)) if word == "response" => {}
            Some(token) => {
                return Err(format!(
                    "expected `response`, the decoded body, found `{token}`"
                ));
            }
            None => return Err("expected `response`, the decoded body".to_owned()),
        }
        let mut steps = Vec::new();
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.next();
                    let Some(Token::Word(field)) = self.next() else {
                        return Err("expected a field's name after `.`".to_owned());
                    };
                    if field == "get" && self.peek() == Some(&Token::OpenParen) {
                        self.next();
                        let Some(Token::Text(field)) = self.next() else {
                            return Err("`.get(..)` takes a field's name in quotes".to_owned());
                        };
                        self.expect(&Token::CloseParen, "to close `.get(..)`")?;
                        steps.push(Step::Field(field));
                    } else {
                        steps.push(Step::Field(field));
                    }
                }
                Some(Token::Open) => {
                    self.next();
                    let step = match self.next() {
                        Some(Token::Text(field)) => Step::Field(field),
                        Some(Token::Number(number)) => match number.as_u64() {
                            Some(index) => {
                                Step::Index(usize::try_from(index).unwrap_or(usize::MAX))
                            }
                            None => {
                                return Err(format!(
                                    "`[{number}]` is not an index; write a whole number from 0"
                                ));
                            }
                        },
                        _ => {
                            return Err(
                                "`[..]` takes a field's name in quotes or an index".to_owned()
                            );
                        }
                    };
                    self.expect(&Token::Close, "to close `[..]`")?;
                    steps.push(step);
                }
                _ => return Ok(steps),
            }
        }
    }

    /// A value to compare with: a string, a number, a boolean or null.
    fn value(&mut self) -> Result<Value, String> {
        match self.next() {
            Some(Token::Text(text)) => Ok(Value::String(text)),
            Some(Token::Number(number)) => Ok(Value::Number(number)),
            Some(Token::Word(word)) => match word.as_str() {
                "true" | "True" => Ok(Value::Bool(true)),
                "false" | "False" => Ok(Value::Bool(false)),
                "null" | "None" => Ok(Value::Null),
                _ => Err(format!(
                    "`{word}` is not a value; write a string in quotes, a number, `true`, `false` or `null`"
                )),
            },
            Some(token) => Err(format!("expected a value, found `{token}`")),
            None => Err("expected a value".to_owned()),
        }
    }

    fn end(&self) -> Result<(), String> {
        match self.peek() {
            None => Ok(()),
            Some(token) => Err(format!(
                "`{token}` follows a whole expression; persevere reads one test (no `and`, `or`)"
            )),
        }
    }
}

/// The expression inside `{{ }}`.
fn expression(inside: &str) -> Result<Test, String> {
    let mut parser = Parser {
        tokens: tokens(inside)?,
        at: 0,
    };
    let test = match parser.peek() {
        None => return Err("there is nothing between the braces".to_owned()),
        Some(Token::Text(_)) => {
            let Some(Token::Text(key)) = parser.next() else {
                return Err("expected a field's name in quotes".to_owned());
            };
            let present = !parser.is_word("not");
            if !present {
                parser.next();
            }
            if !parser.is_word("in") {
                return Err(format!(
                    "expected `in` or `not in` after {key:?}, as in `'{key}' in response`"
                ));
            }
            parser.next();
            let path = parser.path()?;
            Test::Has { key, path, present }
        }
        Some(Token::Word(word)) if word == "response" => {
            let path = parser.path()?;
            match parser.peek() {
                Some(Token::Equal | Token::NotEqual) => {
                    let equal = parser.next() == Some(Token::Equal);
                    let value = parser.value()?;
                    Test::Equals { path, value, equal }
                }
                _ => Test::Truthy { path },
            }
        }
        Some(token) => {
            return Err(format!(
                "an expression begins with a field's name in quotes or with `response`, not `{token}`"
            ));
        }
    };
    parser.end()?;
    Ok(test)
}

/// The value at `path` in `body`, if there is one.
fn lookup<'v>(body: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(body, |value, step| match step {
        Step::Field(field) => value.get(field.as_str()),
        Step::Index(index) => value.get(*index),
    })
}

/// Equality as the expressions mean it: numbers by value (`1 == 1.0`), the rest as JSON.
fn same(found: &Value, value: &Value) -> bool {
    match (found, value) {
        (Value::Number(a), Value::Number(b)) => same_number(a, b),
        _ => found == value,
    }
}

/// Numbers by value, exactly: two integers as integers (`2^53 + 1` is not `2^53`, which they are
/// as `f64`s), an integer and a float only if the float is that whole number.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    let integer = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    let whole = |float: Option<f64>, integer: i128| {
        // Integers from JSON fit in ±2^64, where a whole `f64` converts exactly.
        float.is_some_and(|f| f.fract() == 0.0 && f.abs() < 2f64.powi(100) && f as i128 == integer)
    };
    match (integer(a), integer(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => whole(b.as_f64(), x),
        (None, Some(y)) => whole(a.as_f64(), y),
        (None, None) => a.as_f64() == b.as_f64(),
    }
}

/// Truth as a template means it: not `null`, `false`, `0`, `""`, `[]` or `{}`.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(predicate: &str, body: &str) -> bool {
        let response = ::http::Response::builder()
            .status(200)
            .body(body.to_owned())
            .unwrap();
        let predicate = Predicate::parse(predicate).unwrap_or_else(|error| panic!("{error}"));
        predicate.test(&Seen::new(&response, false))
    }

    #[test]
    fn a_field_present_in_the_body() {
        let predicate = "{{ 'code' in response }}";
        assert!(holds(predicate, r#"{"code": 7}"#));
        assert!(!holds(predicate, r#"{"records": []}"#));
        assert!(!holds(predicate, "code: 7, not JSON"));
        assert!(holds(predicate, r#"["code"]"#));
        assert!(holds(
            "{{ \"code\" not in response }}",
            r#"{"records": []}"#
        ));
        assert!(!holds("{{ 'code' not in response }}", "not JSON"));
        assert!(holds(
            "{{ 'reason' in response.error }}",
            r#"{"error": {"reason": "x"}}"#
        ));
        assert!(!holds(
            "{{ 'reason' in response.error }}",
            r#"{"reason": "x"}"#
        ));
    }

    #[test]
    fn field_equality_and_truth() {
        let body = r#"{"status": "failed", "count": 1, "errors": [{"code": "E1"}], "ok": false}"#;
        assert!(holds("{{ response.status == 'failed' }}", body));
        assert!(holds("{{ response['status'] != \"done\" }}", body));
        assert!(holds("{{ response.count == 1.0 }}", body));
        // Integers are compared exactly, past what an `f64` tells apart.
        let big = r#"{"id": 9007199254740992, "most": 18446744073709551615, "least": -9223372036854775808}"#;
        assert!(!holds("{{ response.id == 9007199254740993 }}", big));
        assert!(holds("{{ response.id != 9007199254740993 }}", big));
        assert!(holds("{{ response.id == 9007199254740992 }}", big));
        assert!(!holds("{{ response.most == 18446744073709551614 }}", big));
        assert!(holds("{{ response.most == 18446744073709551615 }}", big));
        assert!(!holds("{{ response.least == -9223372036854775807 }}", big));
        assert!(holds("{{ response.id == 9007199254740992.0 }}", big));
        assert!(!holds("{{ response.count == 1.5 }}", body));
        assert!(holds("{{ response.errors[0].code == 'E1' }}", body));
        assert!(holds(
            "{{ response.get('errors')[0]['code'] == 'E1' }}",
            body
        ));
        assert!(holds("{{ response.missing == None }}", body));
        assert!(holds("{{ response.ok == False }}", body));
        assert!(holds("{{ response.errors }}", body));
        assert!(!holds("{{ response.ok }}", body));
        assert!(!holds("{{ response.missing }}", body));
        assert!(!holds("{{ response.status != 'done' }}", "not JSON"));
    }

    #[test]
    fn what_cannot_be_read_says_what_to_write() {
        for (text, detail) in [
            (
                "{{ 'code' response }}",
                "expected `in` or `not in` after \"code\"",
            ),
            (
                "{{ 'code' in body }}",
                "expected `response`, the decoded body, found `body`",
            ),
            ("{{ response.status = 'x' }}", "`=` is not an operator"),
            ("{{ response.a == 'x' and response.b }}", "no `and`, `or`"),
            ("{{ response.a == maybe }}", "`maybe` is not a value"),
            ("{{ 'code' in response", "does not close it"),
            ("{{ }}", "nothing between the braces"),
            ("{{ 'open }}", "a string opened with ' is not closed"),
            ("{{ response[-1] }}", "`[-1]` is not an index"),
            ("   ", "is empty"),
        ] {
            let error = Predicate::parse(text).map(|_| ()).unwrap_err();
            assert!(error.contains(detail), "{text}: {error}");
        }
    }

    #[test]
    fn names_are_those_in_force() {
        let error = Predicate::parse("quota").map(|_| ()).unwrap_err();
        assert!(error.contains("registers none"), "{error}");
        let predicates = Predicates::new().with("quota", |_: &Seen<'_>| true);
        let found = predicates.reading(|| Predicate::parse("quota"));
        assert_eq!(found.map(|p| p.text().to_owned()), Ok("quota".to_owned()));
        let error = predicates
            .reading(|| Predicate::parse("qouta"))
            .map(|_| ())
            .unwrap_err();
        assert!(error.contains("did you mean `quota`?"), "{error}");
        // Out of `reading`, none is in force again.
        assert!(Predicate::parse("quota").is_err());
    }
}
