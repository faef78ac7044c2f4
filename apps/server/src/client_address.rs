//! Who the client is, for throttling: the connection's peer, or, when that peer is a
//! trusted reverse proxy, the address `X-Forwarded-For` gives for the client (the
//! rightmost entry that is not itself a trusted proxy; entries further left could
//! have been written by the client).

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The reverse proxies of the settings (`NETSMITH_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads comma-separated addresses and CIDR ranges.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("NETSMITH_TRUSTED_PROXIES: {item:?} is not an address or a CIDR range")
                })?;
            nets.push(net);
        }
        Ok(Self(nets))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address as text ("" when the connection has none).
    pub fn client_of(&self, req: &HttpRequest) -> String {
        let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
            return String::new();
        };
        if !self.trusts(peer) {
            return peer.to_string();
        }
        let forwarded: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|address| !self.trusts(*address))
            .unwrap_or(peer)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::TrustedProxies;

    #[test]
    fn the_forwarded_client_counts_only_behind_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").expect("valid");
        let behind = |peer: &str, forwarded: &str| {
            let req = TestRequest::default()
                .peer_addr(format!("{peer}:4000").parse().expect("address"))
                .insert_header(("X-Forwarded-For", forwarded))
                .to_http_request();
            proxies.client_of(&req)
        };
        assert_eq!(behind("127.0.0.1", "203.0.113.7"), "203.0.113.7");
        // The client may write entries of its own on the left; the proxies' are trusted.
        assert_eq!(
            behind("10.1.2.3", "1.1.1.1, 203.0.113.7, 10.9.9.9"),
            "203.0.113.7"
        );
        assert_eq!(behind("198.51.100.4", "203.0.113.7"), "198.51.100.4");
        assert_eq!(behind("127.0.0.1", "not an address"), "127.0.0.1");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        let none = TrustedProxies::parse("").expect("empty");
        let req = TestRequest::default()
            .peer_addr("127.0.0.1:4000".parse().expect("address"))
            .insert_header(("X-Forwarded-For", "203.0.113.7"))
            .to_http_request();
        assert_eq!(none.client_of(&req), "127.0.0.1");
    }
}
