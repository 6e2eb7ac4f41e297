//! Which URLs may receive deliveries: the SSRF guard. A webhook makes the
//! server send requests where an admin says, so without it a tenant's admin
//! could reach the deployment's own network: its database, its metadata
//! service (169.254.169.254), a router's admin page. Only `https://` to
//! public addresses is allowed, checked when an endpoint is saved and again
//! on every delivery after the name is resolved (DNS can change in between).
//! `webhooks.allow_private_targets` lifts both rules for development and
//! tests, whose receivers listen on loopback without a certificate.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Names that always mean this machine or its cloud's metadata service.
const LOCAL_NAMES: [&str; 3] = ["localhost", "metadata.google.internal", "metadata"];

/// `url` as a delivery target, or why not (for a field error).
pub fn check_target(url: &str, allow_private: bool) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|e| format!("is not an absolute URL ({e})"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("must be an https:// URL".into()),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry credentials".into());
    }
    if parsed.fragment().is_some() {
        return Err("must not have a #fragment".into());
    }
    if allow_private {
        return Ok(parsed);
    }
    match parsed.host() {
        None => Err("must name a host".into()),
        Some(Host::Ipv4(ip)) => check_address(IpAddr::V4(ip)).map(|()| parsed),
        Some(Host::Ipv6(ip)) => check_address(IpAddr::V6(ip)).map(|()| parsed),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if LOCAL_NAMES.contains(&name.as_str()) || name.ends_with(".localhost") {
                Err(format!("names a local host ({name})"))
            } else {
                Ok(parsed)
            }
        }
    }
}

/// Refuses an address that is not public.
pub fn check_address(ip: IpAddr) -> Result<(), String> {
    if is_public(ip) {
        Ok(())
    } else {
        Err(format!(
            "is a private address ({ip}): only public addresses receive webhooks"
        ))
    }
}

/// Whether `ip` is a public unicast address: not loopback, private,
/// link-local (which holds the metadata services), shared (CGNAT),
/// unspecified, broadcast, multicast, documentation, benchmarking or
/// reserved; an IPv4 address mapped or translated into IPv6 is judged as
/// the IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    // 64:ff9b::/96, NAT64: the last 32 bits are an IPv4 address.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return is_public_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || (segments[0] & 0xffc0) == 0xfec0
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
        || segments[..6] == [0, 0, 0, 0, 0, 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
            "::7f00:1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn public_addresses_are_public() {
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_https_to_public_hosts_unless_private_targets_are_allowed() {
        assert!(check_target("https://hooks.example.org/hearth", false).is_ok());
        for bad in [
            "http://hooks.example.org/",
            "ftp://hooks.example.org/",
            "https://127.0.0.1/",
            "https://[::1]:8443/",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.7/",
            "https://localhost/",
            "https://LOCALHOST./",
            "https://api.localhost/",
            "https://metadata.google.internal/",
            "https://user:pw@hooks.example.org/",
            "https://hooks.example.org/#x",
            "not a url",
            "/relative",
        ] {
            assert!(check_target(bad, false).is_err(), "{bad}");
        }
        assert!(check_target("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_target("ftp://127.0.0.1/", true).is_err());
    }
}
