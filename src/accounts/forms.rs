//! Account forms and the domain values they become. Parse, don't validate: a
//! `NewAccount` cannot exist with a bad student number or a weak password.

use serde::Deserialize;

use super::password;
use crate::web::{forms::one_line, FormErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub student_no: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub password_confirm: String,
}

/// 学号: letters and digits, 4–20 of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentNo(String);

impl StudentNo {
    pub fn parse(raw: &str) -> Result<StudentNo, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("form.required");
        }
        if !(4..=20).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err("form.student_no.invalid");
        }
        Ok(StudentNo(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn email(raw: &str) -> Result<String, &'static str> {
    let s = one_line(raw, 254, true)?;
    let valid = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Ok(s)
    } else {
        Err("form.email.invalid")
    }
}

#[derive(Debug)]
pub struct NewAccount {
    pub student_no: StudentNo,
    pub name: String,
    pub college: String,
    pub email: String,
    pub password: String,
}

impl TryFrom<&RegisterForm> for NewAccount {
    type Error = FormErrors;

    fn try_from(form: &RegisterForm) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let student_no = errors.take("student_no", StudentNo::parse(&form.student_no).map(|s| s.0));
        let name = errors.take("name", one_line(&form.name, 50, true));
        let college = errors.take("college", one_line(&form.college, 60, true));
        let email = errors.take("email", email(&form.email));
        if let Some(key) = password::weakness(&form.password, &[&student_no, &name]) {
            errors.add("password", key);
        } else if form.password != form.password_confirm {
            errors.add("password_confirm", "form.password.mismatch");
        }
        errors.into_result(NewAccount {
            student_no: StudentNo(student_no),
            name,
            college,
            email,
            password: form.password.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RegisterForm {
        RegisterForm {
            student_no: " 2026100001 ".into(),
            name: "张三".into(),
            college: "计算机学院".into(),
            email: "zhangsan@example.edu.cn".into(),
            password: "tunnel railing 57 dorm".into(),
            password_confirm: "tunnel railing 57 dorm".into(),
        }
    }

    #[test]
    fn a_valid_form_becomes_an_account_with_a_trimmed_student_number() {
        let account = NewAccount::try_from(&valid()).expect("valid");
        assert_eq!(account.student_no.as_str(), "2026100001");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = RegisterForm {
            student_no: "20-26".into(),
            name: "".into(),
            college: "x".repeat(61),
            email: "not-an-email".into(),
            password: "short".into(),
            password_confirm: "other".into(),
        };
        let errors = NewAccount::try_from(&form).expect_err("invalid");
        let fields: Vec<_> = errors.fields().collect();
        assert_eq!(fields, ["student_no", "name", "college", "email", "password"]);
    }

    #[test]
    fn a_mismatched_confirmation_is_reported_on_its_field() {
        let form = RegisterForm { password_confirm: "something else entirely".into(), ..valid() };
        let errors = NewAccount::try_from(&form).expect_err("mismatch");
        assert_eq!(errors.get("password_confirm"), Some("form.password.mismatch"));
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(one_line("a\u{0}b", 10, true), Err("form.invalid_characters"));
        assert_eq!(one_line("line\nbreak", 20, true), Err("form.invalid_characters"));
        assert_eq!(one_line("  ", 10, false), Ok(String::new()));
    }
}
