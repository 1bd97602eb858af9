//! Campus sign-in (统一身份认证): the school's CAS server and what its attributes hold.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct CampusArgs {
    /// The school's CAS server, e.g. https://cas.example.edu.cn/cas (its /login and
    /// /p3/serviceValidate are below it). Needs --public-url: the ticket is bound to it.
    #[arg(long, env = "PORTAL_CAS_URL")]
    pub cas_url: Option<String>,
    /// The CAS attribute that holds the student number (学号) [default: the CAS user name].
    #[arg(long, env = "PORTAL_CAS_NUMBER_ATTR")]
    pub cas_number_attr: Option<String>,
    /// The CAS attribute that holds the person's name.
    #[arg(long, env = "PORTAL_CAS_NAME_ATTR", default_value = "cn")]
    pub cas_name_attr: String,
    /// The CAS attribute that holds the college (学院).
    #[arg(long, env = "PORTAL_CAS_COLLEGE_ATTR", default_value = "college")]
    pub cas_college_attr: String,
    /// The CAS attribute that holds the mail address.
    #[arg(long, env = "PORTAL_CAS_EMAIL_ATTR", default_value = "mail")]
    pub cas_email_attr: String,
    /// Keep the portal's own password login and registration beside campus sign-in (for
    /// people outside the school's directory); `false` leaves campus sign-in only.
    #[arg(long, env = "PORTAL_LOCAL_LOGIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub local_login: bool,
}

/// The CAS server and its attribute names, as the sign-in reads them.
#[derive(Debug, Clone)]
pub struct CasConfig {
    /// Without a trailing slash.
    pub server: String,
    /// None: the CAS user name is the student number.
    pub number_attr: Option<String>,
    pub name_attr: String,
    pub college_attr: String,
    pub email_attr: String,
}

impl CampusArgs {
    pub fn cas(&self) -> Option<CasConfig> {
        let server = self.cas_url.as_deref()?.trim().trim_end_matches('/').to_string();
        Some(CasConfig {
            server,
            number_attr: self.cas_number_attr.clone().filter(|a| !a.trim().is_empty()),
            name_attr: self.cas_name_attr.clone(),
            college_attr: self.cas_college_attr.clone(),
            email_attr: self.cas_email_attr.clone(),
        })
    }
}
