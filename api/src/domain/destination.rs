//! Where a webhook may send (README, "Webhooks"): the rule that keeps whoever manages
//! webhooks from turning Baqylau against its own network (server-side request forgery).
//!
//! A destination must be a public address reached over `https`, unless its host is on
//! the operator's allow-list (`BAQYLAU_WEBHOOK_ALLOW_HOSTS`). Every address a name
//! resolves to is checked with [`refusal`] at delivery time, by the worker.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::LazyLock;

use ipnet::IpNet;
use url::{Host, Url};

/// Networks no webhook may reach, with the word for why. IPv6 forms that embed an IPv4
/// address (mapped, compatible, NAT64, 6to4) are judged by that address instead.
static REFUSED: LazyLock<Vec<(IpNet, &'static str)>> = LazyLock::new(|| {
    [
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "reserved"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "reserved"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/96", "reserved"),
        ("64:ff9b:1::/48", "private"),
        ("100::/64", "reserved"),
        // Teredo hides the IPv4 address it tunnels to.
        ("2001::/32", "reserved"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("fc00::/7", "unique-local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    ]
    .into_iter()
    .map(|(net, why)| (net.parse().expect("a valid network"), why))
    .collect()
});

/// The IPv4 address an IPv6 address carries, for the forms that route to it:
/// `::ffff:a.b.c.d` (mapped), `::a.b.c.d` (compatible, deprecated), `64:ff9b::a.b.c.d`
/// (NAT64) and `2002:aabb:ccdd::/48` (6to4).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(tail),
        // `::` and `::1` are themselves, not IPv4 addresses.
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => Some(tail),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail),
        [0x2002, a, b, ..] => Some(Ipv4Addr::new(
            (a >> 8) as u8,
            a as u8,
            (b >> 8) as u8,
            b as u8,
        )),
        _ => None,
    }
}

/// Why no webhook may be sent to `ip` (`loopback`, `private`, `link-local`, ...), or
/// `None` for a public address.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    if let IpAddr::V6(v6) = ip {
        if let Some(v4) = embedded_v4(v6) {
            return refusal(IpAddr::V4(v4));
        }
    }
    REFUSED
        .iter()
        .find(|(net, _)| net.contains(&ip))
        .map(|(_, why)| *why)
}

/// One allow-list entry: a host, and the one port it is allowed on (any when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Allowed {
    /// As `url` writes it: lowercase names, IPv6 in brackets.
    host: String,
    port: Option<u16>,
}

/// The hosts webhooks may reach although they are private or plain `http`
/// (`BAQYLAU_WEBHOOK_ALLOW_HOSTS`): comma-separated `host` or `host:port`, IPv6 in
/// brackets (`[fd00::5]:8443`). Empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowHosts(Vec<Allowed>);

impl FromStr for AllowHosts {
    type Err = String;

    fn from_str(s: &str) -> Result<AllowHosts, String> {
        s.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let bad = || format!("{entry:?} is not a host or host:port");
                let (host, port) = match entry.rfind(':') {
                    // A colon inside brackets belongs to an IPv6 address.
                    Some(i) if !entry[i..].contains(']') => (&entry[..i], Some(&entry[i + 1..])),
                    _ => (entry, None),
                };
                let port = port
                    .map(|p| p.parse::<u16>().map_err(|_| bad()))
                    .transpose()?;
                let host = Host::parse(host).map_err(|_| bad())?;
                Ok(Allowed {
                    host: host.to_string(),
                    port,
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(AllowHosts)
    }
}

impl AllowHosts {
    /// Whether `url`'s host (and port) is on the list.
    pub fn allows(&self, url: &Url) -> bool {
        let (Some(host), port) = (url.host(), url.port_or_known_default()) else {
            return false;
        };
        let host = host.to_string();
        self.0
            .iter()
            .any(|a| a.host == host && a.port.is_none_or(|p| Some(p) == port))
    }
}

/// What the worker must still do for a destination [`vet`] let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vetted {
    /// On the allow-list: connect as the name resolves.
    AllowListed,
    /// A public address written in the URL.
    PublicAddress,
    /// A name: every address it resolves to must be public ([`refusal`]), checked
    /// where the connection is made.
    Name,
}

/// Why a destination is refused: the field error's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub message: String,
}

/// Judges a webhook URL (already `http`/`https` with a host): allow-listed hosts pass;
/// otherwise `https` is required, an address in the URL must be public and `localhost`
/// names (RFC 6761) are loopback.
pub fn vet(url: &Url, allow: &AllowHosts) -> Result<Vetted, Refused> {
    if allow.allows(url) {
        return Ok(Vetted::AllowListed);
    }
    if url.scheme() != "https" {
        return Err(Refused {
            code: "https_required",
            message: "https is required unless the host is in BAQYLAU_WEBHOOK_ALLOW_HOSTS"
                .to_owned(),
        });
    }
    let refused = |what: String, why: &str| Refused {
        code: "destination_not_allowed",
        message: format!(
            "{what} is a {why} address; only hosts in BAQYLAU_WEBHOOK_ALLOW_HOSTS may be"
        ),
    };
    match url.host() {
        Some(Host::Ipv4(ip)) => match refusal(IpAddr::V4(ip)) {
            Some(why) => Err(refused(ip.to_string(), why)),
            None => Ok(Vetted::PublicAddress),
        },
        Some(Host::Ipv6(ip)) => match refusal(IpAddr::V6(ip)) {
            Some(why) => Err(refused(ip.to_string(), why)),
            None => Ok(Vetted::PublicAddress),
        },
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            if name == "localhost" || name.ends_with(".localhost") {
                Err(refused(name.to_owned(), "loopback"))
            } else {
                Ok(Vetted::Name)
            }
        }
        None => Err(Refused {
            code: "invalid",
            message: "the URL needs a host".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(ip: &str) -> Option<&'static str> {
        refusal(ip.parse().unwrap())
    }

    #[test]
    fn private_and_special_addresses_are_refused_public_ones_pass() {
        for (ip, expected) in [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("10.1.2.3", "private"),
            ("172.31.255.255", "private"),
            ("192.168.0.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fe80::1", "link-local"),
            ("fd00::5", "unique-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::10.0.0.1", "private"),
            ("64:ff9b::7f00:1", "loopback"),
            ("2002:c0a8:0101::1", "private"),
            ("2001:0:4136:e378::1", "reserved"),
        ] {
            assert_eq!(why(ip), Some(expected), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(why(ip), None, "{ip}");
        }
    }

    fn vetted(url: &str, allow: &str) -> Result<Vetted, &'static str> {
        vet(&Url::parse(url).unwrap(), &allow.parse().unwrap()).map_err(|r| r.code)
    }

    #[test]
    fn allow_listed_hosts_may_be_private_or_plain_http() {
        assert_eq!(vetted("https://crm.example.kz/h", ""), Ok(Vetted::Name));
        assert_eq!(vetted("https://8.8.8.8/h", ""), Ok(Vetted::PublicAddress));
        assert_eq!(vetted("http://crm.example.kz/h", ""), Err("https_required"));
        for url in [
            "https://127.0.0.1/h",
            "https://2130706433/h",
            "https://169.254.169.254/latest",
            "https://10.0.0.7:8443/h",
            "https://[::1]/h",
            "https://[::ffff:127.0.0.1]/h",
            "https://localhost/h",
            "https://api.localhost./h",
        ] {
            assert_eq!(vetted(url, ""), Err("destination_not_allowed"), "{url}");
        }
        let allow = "127.0.0.1, CRM.Local:8080, [::1]:443";
        assert_eq!(
            vetted("http://127.0.0.1:9/h", allow),
            Ok(Vetted::AllowListed)
        );
        assert_eq!(
            vetted("http://crm.local:8080/h", allow),
            Ok(Vetted::AllowListed)
        );
        assert_eq!(
            vetted("http://crm.local:8081/h", allow),
            Err("https_required")
        );
        assert_eq!(vetted("https://[::1]/h", allow), Ok(Vetted::AllowListed));
        assert_eq!(
            vetted("https://[::1]:8443/h", allow),
            Err("destination_not_allowed")
        );
        assert!("crm:port".parse::<AllowHosts>().is_err());
        assert!("a b".parse::<AllowHosts>().is_err());
        assert_eq!("".parse::<AllowHosts>(), Ok(AllowHosts::default()));
    }
}
