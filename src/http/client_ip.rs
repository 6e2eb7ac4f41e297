//! Which IP address a request comes from.
//!
//! `X-Forwarded-For` is written by whoever sent the request, so it is believed
//! only when the TCP peer is a configured trusted proxy, and then only from the
//! right: each trusted proxy appends the address it received from, so the
//! right-most entry that is not itself a trusted proxy is the client. The
//! left-most entry is whatever the client chose to send and is never used.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::HttpRequest;
use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is trusted.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses IPs (`10.0.0.5`) and CIDRs (`10.0.0.0/8`).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("trusted proxy {e:?} is not an IP address or CIDR"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }
}

/// Address used when the peer is unknown (never in production: only in-process tests).
const UNKNOWN_PEER: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

/// The client address of a request.
pub fn client_ip(req: &HttpRequest, proxies: &TrustedProxies) -> IpAddr {
    resolve(req.peer_addr().map(|a| a.ip()), req.headers(), proxies)
}

/// The resolution rule, separated from actix types for testing.
fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &TrustedProxies) -> IpAddr {
    let Some(peer) = peer else {
        return UNKNOWN_PEER;
    };
    if !proxies.contains(&peer) {
        return peer;
    }
    // Several X-Forwarded-For headers are one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if proxies.contains(&ip) => nearest = ip,
            Ok(ip) => return ip,
            // A malformed entry means everything left of it is unverifiable.
            Err(_) => return nearest,
        }
    }
    nearest
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in xff {
            map.append(
                "x-forwarded-for".parse().unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.1".into()]).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn untrusted_peers_are_taken_as_they_are() {
        let h = headers(&["1.2.3.4"]);
        assert_eq!(
            resolve(Some(ip("203.0.113.9")), &h, &proxies()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let h = headers(&["6.6.6.6, 198.51.100.7, 10.1.1.1"]);
        assert_eq!(
            resolve(Some(ip("10.0.0.2")), &h, &proxies()),
            ip("198.51.100.7")
        );
        let split = headers(&["6.6.6.6", "198.51.100.7"]);
        assert_eq!(
            resolve(Some(ip("192.0.2.1")), &split, &proxies()),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn garbage_and_all_trusted_chains_fall_back_to_the_nearest_proxy() {
        let h = headers(&["not-an-ip, 10.2.2.2"]);
        assert_eq!(
            resolve(Some(ip("10.0.0.2")), &h, &proxies()),
            ip("10.2.2.2")
        );
        assert_eq!(
            resolve(Some(ip("10.0.0.2")), &headers(&[]), &proxies()),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn bad_proxy_entries_are_refused() {
        assert!(TrustedProxies::parse(&["nope".into()]).is_err());
    }
}
