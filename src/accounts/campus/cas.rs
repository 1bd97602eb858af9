//! The CAS 3.0 protocol as a client speaks it (apereo.github.io/cas/…/CAS-Protocol-Specification):
//! send the browser to `{server}/login?service=…`, validate the ticket it comes back with at
//! `{server}/p3/serviceValidate` with the very same service URL, and read the answer's user and
//! attributes. The answers are XML and are read with quick-xml, never with string search.
//! Which attribute holds the student number, the name, the college and the mail is configuration.

use std::collections::HashMap;

use quick_xml::{events::Event, Reader};

use crate::config::CasConfig;

/// Who the school's CAS server says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampusPerson {
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub email: String,
}

/// Why a ticket was not accepted (logged by code only: the answer may quote the ticket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The CAS server said no (`INVALID_TICKET`, `INVALID_SERVICE`, …).
    Failure(String),
    /// The CAS server could not be reached or answered something that is not CAS.
    Unreadable,
    /// It said yes, but the configured number attribute is missing.
    NoNumber,
}

pub fn login_url(cas: &CasConfig, service: &str) -> String {
    format!("{}/login?service={}", cas.server, crate::web::forms::url_encode(service))
}

/// Ask the CAS server whether `ticket` was issued for `service`; a ticket is good once.
pub async fn validate(
    http: &reqwest::Client,
    cas: &CasConfig,
    service: &str,
    ticket: &str,
) -> Result<CampusPerson, Refusal> {
    let url = format!("{}/p3/serviceValidate", cas.server);
    let answer = http
        .get(url)
        .query(&[("service", service), ("ticket", ticket)])
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| {
            tracing::warn!(error = %e.without_url(), "cas: validation request failed");
            Refusal::Unreadable
        })?;
    let body = answer.text().await.map_err(|_| Refusal::Unreadable)?;
    person_of(cas, &parse_service_response(&body)?)
}

/// The parts of a `cas:serviceResponse` the portal uses.
#[derive(Debug, Default)]
pub struct Validation {
    pub user: String,
    pub attributes: HashMap<String, String>,
}

/// Read a `/p3/serviceValidate` answer: success with its user and attributes (each attribute's
/// first value, by local name), or the failure's code.
pub fn parse_service_response(xml: &str) -> Result<Validation, Refusal> {
    // Not trimmed by the reader: an entity splits the text, and "A &amp; B" would lose its spaces.
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let (mut success, mut failure) = (None::<Validation>, None::<String>);
    loop {
        match reader.read_event().map_err(|_| Refusal::Unreadable)? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "authenticationSuccess" => success = Some(Validation::default()),
                    "authenticationFailure" => {
                        let code = e.try_get_attribute("code").ok().flatten();
                        failure =
                            Some(code.map(|a| String::from_utf8_lossy(&a.value).into_owned()).unwrap_or_default());
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|_| Refusal::Unreadable)?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|_| Refusal::Unreadable)?;
                let entity = format!("&{name};");
                text.push_str(&quick_xml::escape::unescape(&entity).map_err(|_| Refusal::Unreadable)?);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str);
                if let Some(v) = success.as_mut() {
                    match (parent, name.as_str()) {
                        (Some("authenticationSuccess"), "user") => v.user = text.trim().to_string(),
                        (Some("attributes"), attribute) => {
                            v.attributes.entry(attribute.to_string()).or_insert_with(|| text.trim().to_string());
                        }
                        _ => {}
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (success, failure) {
        (_, Some(code)) => Err(Refusal::Failure(code)),
        (Some(v), None) if !v.user.is_empty() => Ok(v),
        _ => Err(Refusal::Unreadable),
    }
}

/// The person the configuration reads out of a validation.
pub fn person_of(cas: &CasConfig, v: &Validation) -> Result<CampusPerson, Refusal> {
    let attribute = |name: &str| v.attributes.get(name).cloned().unwrap_or_default();
    let student_no = match &cas.number_attr {
        Some(name) => attribute(name),
        None => v.user.clone(),
    };
    if student_no.trim().is_empty() {
        return Err(Refusal::NoNumber);
    }
    Ok(CampusPerson {
        student_no: student_no.trim().to_string(),
        name: attribute(&cas.name_attr),
        college: attribute(&cas.college_attr),
        email: attribute(&cas.email_attr),
    })
}

/// The session index (the service ticket) a single-logout request names: the CAS server POSTs
/// `logoutRequest=<samlp:LogoutRequest …><samlp:SessionIndex>ST-…</samlp:SessionIndex>…`.
pub fn logout_session_index(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => inside = e.local_name().as_ref() == b"SessionIndex",
            Event::Text(t) if inside => return Some(t.decode().ok()?.trim().to_string()).filter(|s| !s.is_empty()),
            Event::End(_) => inside = false,
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(number_attr: Option<&str>) -> CasConfig {
        CasConfig {
            server: "https://cas.example.edu.cn/cas".into(),
            number_attr: number_attr.map(str::to_string),
            name_attr: "cn".into(),
            college_attr: "college".into(),
            email_attr: "mail".into(),
        }
    }

    const SUCCESS: &str = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
      <cas:authenticationSuccess><cas:user>lxy</cas:user>
        <cas:attributes><cas:studentNo>2024010001</cas:studentNo><cas:cn>林晓雨</cas:cn>
          <cas:college>外国语学院 &amp; 国际教育学院</cas:college><cas:mail>a@stu.example.edu.cn</cas:mail>
        </cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"#;

    #[test]
    fn a_success_gives_the_number_from_the_configured_attribute_and_unescapes_text() {
        let v = parse_service_response(SUCCESS).unwrap();
        let p = person_of(&config(Some("studentNo")), &v).unwrap();
        assert_eq!(p.student_no, "2024010001");
        assert_eq!(p.name, "林晓雨");
        assert_eq!(p.college, "外国语学院 & 国际教育学院");
        assert_eq!(person_of(&config(None), &v).unwrap().student_no, "lxy");
        assert_eq!(person_of(&config(Some("employeeNo")), &v), Err(Refusal::NoNumber));
    }

    #[test]
    fn a_failure_or_anything_else_is_refused() {
        let failure = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
          <cas:authenticationFailure code="INVALID_TICKET">Ticket ST-1 not recognized</cas:authenticationFailure>
        </cas:serviceResponse>"#;
        assert_eq!(parse_service_response(failure).unwrap_err(), Refusal::Failure("INVALID_TICKET".into()));
        assert_eq!(parse_service_response("yes\n2024010001").unwrap_err(), Refusal::Unreadable);
        assert_eq!(parse_service_response("<html><body>login</body></html>").unwrap_err(), Refusal::Unreadable);
        // A user outside authenticationSuccess proves nothing.
        let stray = "<cas:serviceResponse xmlns:cas=\"x\"><cas:user>2024010001</cas:user></cas:serviceResponse>";
        assert_eq!(parse_service_response(stray).unwrap_err(), Refusal::Unreadable);
    }

    #[test]
    fn a_logout_request_names_its_ticket() {
        let slo = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="x" Version="2.0">
          <saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">2024010001</saml:NameID>
          <samlp:SessionIndex>ST-abc</samlp:SessionIndex></samlp:LogoutRequest>"#;
        assert_eq!(logout_session_index(slo).as_deref(), Some("ST-abc"));
        assert_eq!(logout_session_index("<a/>"), None);
    }
}
