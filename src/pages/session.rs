//! Who a page is for: a browser's sign-in carried in an `HttpOnly` cookie, and the token
//! every form carries against cross-site requests.
//!
//! The cookie holds a token of the same kind as the API's, naming a sign-in that signing
//! out or a changed password ends; so a page and the API see the same accounts, rights and
//! revocations. Each page renews it, so it lapses only after `CASEBOOK_SESSION_IDLE_SECS`
//! without one.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::frame::{Chrome, PageError, html};
use super::view::FormFields;
use crate::auth::signed_in_user;
use crate::config::Environment;
use crate::db::secrets;
use crate::domain::user::Principal;
use crate::error::ApiError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "casebook_session";
pub const CSRF_COOKIE: &str = "casebook_csrf";
/// The form field that must repeat the CSRF cookie.
const CSRF_FIELD: &str = "csrf";

/// A page's visitor: signed in or not, with the form token their forms carry, and the
/// cookies the answer must set.
pub struct Visitor {
    pub principal: Option<Principal>,
    /// The sign-in the session cookie names, for signing out.
    pub session: Option<Uuid>,
    pub csrf: String,
    cookies: Vec<Cookie<'static>>,
    secure: bool,
}

impl Visitor {
    pub fn is_signed_in(&self) -> bool {
        self.principal.is_some()
    }

    /// The frame of a page for this visitor, in this part of the site.
    pub fn chrome(&self, section: &'static str) -> Chrome {
        Chrome {
            signed_in: self.is_signed_in(),
            reviewer: self
                .principal
                .as_ref()
                .is_some_and(|principal| principal.can_review()),
            csrf: self.csrf.clone(),
            section,
        }
    }

    /// A page's answer: the template rendered, with the cookies the visit needs.
    pub fn page(&self, template: &impl Template) -> Result<HttpResponse, PageError> {
        Ok(self.finish(html(StatusCode::OK, template)?))
    }

    /// Starts a signed-in session with this token, with a new form token beside it.
    pub fn begin(&mut self, token: String, idle_secs: i64) -> Result<(), ApiError> {
        self.cookies
            .push(self.cookie(SESSION_COOKIE, token, Some(idle_secs)));
        self.csrf = secrets::generate()?;
        let csrf = self.cookie(CSRF_COOKIE, self.csrf.clone(), None);
        self.cookies.push(csrf);
        Ok(())
    }

    /// Forgets the session in this browser.
    pub fn end(&mut self) {
        let mut gone = self.cookie(SESSION_COOKIE, String::new(), Some(0));
        gone.make_removal();
        self.cookies.push(gone);
        self.principal = None;
        self.session = None;
    }

    /// Sets the cookies this visit needs on a response.
    pub fn finish(&self, mut response: HttpResponse) -> HttpResponse {
        for cookie in &self.cookies {
            // A cookie built here always encodes to a valid header.
            let _ = response.add_cookie(cookie);
        }
        response
    }

    /// A posted form's fields, refused when its token is not this browser's: a page
    /// elsewhere cannot post as the visitor. The `Origin`, when the browser sends it, must
    /// be ours too.
    pub fn read_form(&self, request: &HttpRequest, body: &[u8]) -> Result<FormFields, ApiError> {
        let fields = FormFields::parse(body);
        let token = fields.get(CSRF_FIELD);
        let cookie = request.cookie(CSRF_COOKIE);
        let matches = cookie.is_some_and(|cookie| {
            constant_time_eq(cookie.value().as_bytes(), token.as_bytes()) && !token.is_empty()
        });
        if !matches || !same_origin(request) {
            return Err(ApiError::Forbidden(
                "this form has expired or came from another site; reload the page and try again"
                    .into(),
            ));
        }
        Ok(fields)
    }

    fn cookie(&self, name: &'static str, value: String, max_age: Option<i64>) -> Cookie<'static> {
        let mut cookie = Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .finish();
        if let Some(seconds) = max_age {
            cookie.set_max_age(time::Duration::seconds(seconds));
        }
        cookie
    }
}

impl FromRequest for Visitor {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let session = request.cookie(SESSION_COOKIE);
        let csrf = request.cookie(CSRF_COOKIE);
        let visit = async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            let mut visitor = Visitor {
                principal: None,
                session: None,
                csrf: String::new(),
                cookies: Vec::new(),
                secure: state.config.environment == Environment::Production,
            };
            match csrf {
                Some(csrf) if !csrf.value().is_empty() => visitor.csrf = csrf.value().to_owned(),
                _ => {
                    visitor.csrf = secrets::generate()?;
                    let cookie = visitor.cookie(CSRF_COOKIE, visitor.csrf.clone(), None);
                    visitor.cookies.push(cookie);
                }
            }
            let Some(session) = session.filter(|cookie| !cookie.value().is_empty()) else {
                return Ok(visitor);
            };
            let token = session.value();
            // A session that lapsed or ended is simply not signed in: the cookie goes. (A
            // database that cannot be reached is another matter: that is said, not hidden.)
            let Ok(claims) = state.tokens.verify(token) else {
                visitor.end();
                return Ok(visitor);
            };
            let principal = match signed_in_user(&state, token).await {
                Ok(principal) => principal,
                Err(ApiError::InvalidToken(_)) => {
                    visitor.end();
                    return Ok(visitor);
                }
                Err(error) => return Err(error),
            };
            let idle = state.tokens.session_idle_secs;
            let now = chrono::Utc::now().timestamp();
            // Renewed once a minute at most, so a busy page does not re-sign every time.
            if now - claims.iat >= 60 {
                let renewed = state.tokens.issue_lasting(
                    principal.user_id,
                    principal.organisation_id,
                    principal.role,
                    claims.sid,
                    idle,
                );
                let cookie = visitor.cookie(SESSION_COOKIE, renewed, Some(idle));
                visitor.cookies.push(cookie);
            }
            visitor.session = claims.sid;
            visitor.principal = Some(principal);
            Ok::<_, ApiError>(visitor)
        };
        // Failing, a page answers as a page.
        Box::pin(async move { visit.await.map_err(PageError) })
    }
}

/// Whether a form came from one of our own pages, as far as the browser says: `Origin`
/// (sent by every current browser with a POST) must name this host.
fn same_origin(request: &HttpRequest) -> bool {
    let Some(origin) = request.headers().get(actix_web::http::header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = request.connection_info().host().to_owned();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(&host))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
