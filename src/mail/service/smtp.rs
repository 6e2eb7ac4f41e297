//! Speaking SMTP (lettre): the transport the settings describe, and one
//! message as a multipart/alternative of its plain text and HTML.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{MailSettings, MailTls};
use crate::mail::model::MailMessage;

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Worth trying again (the server is down, busy, or said 4xx).
    Transient(String),
    /// Never going to work (a 5xx, an address no server takes).
    Permanent(String),
}

/// An SMTP client for the configured server.
#[derive(Clone)]
pub struct Smtp {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Smtp {
    /// The client `settings` describe (not connected until the first send).
    pub fn new(settings: &MailSettings) -> Result<Self, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("mail.from {:?} is not an address: {e}", settings.from))?;
        let host = settings.host.trim();
        let tls = |host: &str| {
            TlsParameters::new(host.to_string())
                .map_err(|e| format!("cannot set up TLS for {host}: {e}"))
        };
        let tls = match settings.tls {
            MailTls::None => Tls::None,
            MailTls::Starttls => Tls::Required(tls(host)?),
            MailTls::Tls => Tls::Wrapper(tls(host)?),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.timeout()));
        if !settings.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                settings.username.clone(),
                settings.password.clone(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Hands `message` to the server (blocking until it answers).
    pub fn send(&self, message: &MailMessage) -> Result<(), Refusal> {
        let email = self.compose(message)?;
        self.transport.send(&email).map(drop).map_err(|e| {
            if e.is_permanent() {
                Refusal::Permanent(e.to_string())
            } else {
                Refusal::Transient(e.to_string())
            }
        })
    }

    /// The RFC 5322 message. Its `Message-ID` is the row's id, so a message
    /// sent twice (a lapsed claim) is recognisably one.
    fn compose(&self, message: &MailMessage) -> Result<Message, Refusal> {
        let to: Mailbox = message.to_address.parse().map_err(|e| {
            Refusal::Permanent(format!("{:?} is not an address: {e}", message.to_address))
        })?;
        let domain = self.from.email.domain();
        Message::builder()
            .message_id(Some(format!("<{}@{domain}>", message.id)))
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                message.text_body.clone(),
                message.html_body.clone(),
            ))
            .map_err(|e| Refusal::Permanent(format!("cannot compose the message: {e}")))
    }
}
