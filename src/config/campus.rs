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
    /// The school's OpenID provider (its issuer URL, e.g. https://id.example.edu.cn); found by
    /// discovery. Needs --public-url: the redirect URI registered there is {public-url}/auth/oidc/callback.
    #[arg(long, env = "PORTAL_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The portal's client id at the OpenID provider.
    #[arg(long, env = "PORTAL_OIDC_CLIENT_ID", default_value = "union-portal")]
    pub oidc_client_id: String,
    /// The portal's client secret at the OpenID provider (never logged).
    #[arg(long, env = "PORTAL_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// The ID-token claim that holds the student number (学号).
    #[arg(long, env = "PORTAL_OIDC_NUMBER_CLAIM", default_value = "student_no")]
    pub oidc_number_claim: String,
    /// The claims that hold the name, the college and the mail address.
    #[arg(long, env = "PORTAL_OIDC_NAME_CLAIM", default_value = "name")]
    pub oidc_name_claim: String,
    #[arg(long, env = "PORTAL_OIDC_COLLEGE_CLAIM", default_value = "college")]
    pub oidc_college_claim: String,
    #[arg(long, env = "PORTAL_OIDC_EMAIL_CLAIM", default_value = "email")]
    pub oidc_email_claim: String,
    /// The students' campus mail domain, e.g. stu.example.edu.cn: {学号}@stu.example.edu.cn reaches
    /// the holder of a number (told when someone registers it, and a way to verify an account).
    #[arg(long, env = "PORTAL_CAMPUS_MAIL_DOMAIN")]
    pub campus_mail_domain: Option<String>,
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

/// The OpenID provider, the portal's client there and which claims hold what.
#[derive(Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub number_claim: String,
    pub name_claim: String,
    pub college_claim: String,
    pub email_claim: String,
}

/// The secret stays out of logs and panics.
impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig").field("issuer", &self.issuer).field("client_id", &self.client_id).finish()
    }
}

impl CampusArgs {
    pub fn oidc(&self) -> Option<OidcConfig> {
        Some(OidcConfig {
            issuer: self.oidc_issuer.as_deref()?.trim().trim_end_matches('/').to_string(),
            client_id: self.oidc_client_id.clone(),
            client_secret: self.oidc_client_secret.clone().filter(|s| !s.is_empty()),
            number_claim: self.oidc_number_claim.clone(),
            name_claim: self.oidc_name_claim.clone(),
            college_claim: self.oidc_college_claim.clone(),
            email_claim: self.oidc_email_claim.clone(),
        })
    }

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
