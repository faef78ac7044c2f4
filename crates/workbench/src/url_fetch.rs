//! Server-side downloads for `url` uploads: streamed to disk, bounded in size and time,
//! and refused when the target is an internal address (checked after DNS resolution,
//! for every redirect too) unless the host is explicitly allowed.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Url, redirect};

use crate::file_sink::{FileSink, Written};
use crate::ssrf::is_forbidden;

const MAX_REDIRECTS: usize = 5;

/// Who may be reached despite being on an internal address.
#[derive(Clone)]
struct Policy {
    allow_private: bool,
    allowed_hosts: Arc<Vec<String>>,
}

impl Policy {
    fn host_allowed(&self, host: &str) -> bool {
        self.allow_private || self.allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Why `url` may not be fetched, judging what can be judged before resolution.
    fn refusal(&self, url: &Url) -> Option<String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Some("Only http and https URLs can be uploaded.".into());
        }
        let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
        if self.host_allowed(host) {
            return None;
        }
        match host.parse::<IpAddr>() {
            Ok(ip) if is_forbidden(ip) => Some(format!(
                "Downloads from the internal address {ip} are not allowed."
            )),
            _ => None,
        }
    }
}

/// A refusal raised inside reqwest (resolver, redirects), found again in its error chain.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

/// Resolves names and drops internal addresses, so a public-looking name that points
/// inside (or is re-pointed between checks) cannot be reached.
struct GuardedResolver(Policy);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if policy.host_allowed(&host) {
                return Ok(Box::new(addrs.into_iter()) as Addrs);
            }
            let public: Vec<SocketAddr> = addrs.iter().copied().filter(|a| !is_forbidden(a.ip())).collect();
            if public.is_empty() {
                let shown = addrs.first().map(|a| a.ip().to_string()).unwrap_or_default();
                let reason = format!(
                    "Downloads from {host} are not allowed: it resolves to the internal address {shown}."
                );
                return Err(Box::new(Refused(reason)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// A finished download.
pub struct Fetched {
    /// What was written to the destination file.
    pub written: Written,
    /// The name from Content-Disposition, else the URL's last segment, else its host.
    pub file_name: String,
    /// The URL after redirects.
    pub final_url: String,
}

/// The settings of URL downloads.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Allow loopback, private, link-local and metadata addresses.
    pub allow_private: bool,
    /// Hosts reachable even on internal addresses.
    pub allowed_hosts: Vec<String>,
    /// The longest a download may take.
    pub timeout: Duration,
}

/// Downloads URLs for `url` uploads, with the address guard.
pub struct UrlFetcher {
    client: reqwest::Client,
    policy: Policy,
}

impl UrlFetcher {
    /// A client following these settings. TLS uses ring's provider unless the program
    /// installed another one first.
    pub fn new(settings: FetchSettings) -> Result<Self, reqwest::Error> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let FetchSettings {
            allow_private,
            allowed_hosts,
            timeout,
        } = settings;
        let policy = Policy {
            allow_private,
            allowed_hosts: Arc::new(allowed_hosts),
        };
        let redirect_policy = policy.clone();
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("netsmith/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver(policy.clone())))
            .redirect(redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    return attempt.error(Refused(format!("More than {MAX_REDIRECTS} redirects.")));
                }
                match redirect_policy.refusal(attempt.url()) {
                    Some(reason) => attempt.error(Refused(reason)),
                    None => attempt.follow(),
                }
            }))
            .build()?;
        Ok(Self { client, policy })
    }

    /// Checks a client-given URL: `Err` holds the message for the `url` field.
    pub fn parse(&self, text: &str) -> Result<Url, String> {
        let url = Url::parse(text.trim()).map_err(|_| "Enter a valid URL.".to_owned())?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err("Enter a valid URL.".to_owned());
        }
        match self.policy.refusal(&url) {
            Some(reason) => Err(reason),
            None => Ok(url),
        }
    }

    /// Downloads `url` into `dest`, refusing more than `limit` bytes.
    pub async fn fetch(&self, url: Url, dest: PathBuf, limit: u64) -> Result<Fetched, FetchError> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| FetchError::Failed(describe(&e)))?;
        let final_url = response.url().clone();
        if !response.status().is_success() {
            return Err(FetchError::Failed(format!(
                "The URL answered HTTP {}.",
                response.status().as_u16()
            )));
        }
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge);
        }
        let file_name = file_name(&response, &final_url);
        let mut sink = FileSink::create(dest);
        let copied = copy_body(response, &mut sink, limit).await;
        // Waited for in every case, so nothing is still writing when the caller cleans up.
        let written = sink.finish().await.map_err(FetchError::Io);
        copied?;
        let written = written?;
        Ok(Fetched {
            written,
            file_name,
            final_url: final_url.to_string(),
        })
    }
}

/// Streams the body into the sink, refusing more than `limit` bytes.
async fn copy_body(response: reqwest::Response, sink: &mut FileSink, limit: u64) -> Result<(), FetchError> {
    let mut received = 0u64;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| FetchError::Failed(describe(&e)))?;
        received += chunk.len() as u64;
        if received > limit {
            return Err(FetchError::TooLarge);
        }
        sink.write(chunk).await;
    }
    Ok(())
}

/// Why a download did not complete.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// More bytes than the limit (the caller knows which limit).
    #[error("the download is larger than the limit")]
    TooLarge,
    /// Refused, unreachable, an HTTP error, or too slow: the message says which.
    #[error("{0}")]
    Failed(String),
    /// Writing the file on this machine failed.
    #[error("cannot write the download: {0}")]
    Io(std::io::Error),
}

impl common::ErrorCode for FetchError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge => "upload_too_large",
            Self::Failed(_) => "url_refused",
            Self::Io(_) => "download_write",
        }
    }
}

/// Our own refusal if it is in the chain, else reqwest's account of the failure.
fn describe(error: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return refused.0.clone();
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return "The download took too long.".into();
    }
    format!("Could not download the URL: {}", common::error_chain(error))
}

/// The name from Content-Disposition, else the URL's last path segment, else its host.
fn file_name(response: &reqwest::Response, url: &Url) -> String {
    let from_header = response
        .headers()
        .get(reqwest::header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .find_map(|part| part.trim().strip_prefix("filename="))
        })
        .map(|name| name.trim_matches('"').to_owned());
    let from_path = url
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        });
    from_header
        .or(from_path)
        .unwrap_or_else(|| url.host_str().unwrap_or("download").to_owned())
}
