//! `#[limits]`: each limit of a request field is said once, as
//! `#[limit(...)]`, and becomes both the `validator` check (with Hearth's
//! code and message) and the `utoipa` schema keyword, so the two can never
//! disagree. Put `#[limits]` above the derives:
//!
//! ```ignore
//! #[limits]
//! #[derive(Deserialize, Validate, ToSchema)]
//! struct Body {
//!     #[limit(chars = 1..=200)]          // length 1-200, 422 `invalid_length`
//!     name: String,
//!     #[limit(chars = ..=2000)]          // at most 2000 characters
//!     note: Option<String>,
//!     #[limit(range = 1..=1_000_000)]    // 422 `out_of_range`
//!     points: i64,
//!     #[limit(items = 1..=500, of = "items")]
//!     items: Vec<Item>,
//! }
//! ```
//!
//! Other `#[validate]`/`#[schema]` items on the field (a custom check, a
//! pattern, a value type) stay, and the limit is added to them.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, Expr, ExprLit, ExprRange, Ident, ItemStruct, Lit, LitStr, RangeLimits, Token,
};

/// Turns every `#[limit(...)]` of the struct's fields into `#[validate]` and
/// `#[schema]` items.
#[proc_macro_attribute]
pub fn limits(_args: TokenStream, item: TokenStream) -> TokenStream {
    let mut item = syn::parse_macro_input!(item as ItemStruct);
    for field in &mut item.fields {
        let Some(index) = field.attrs.iter().position(|a| a.path().is_ident("limit")) else {
            continue;
        };
        let attr = field.attrs.remove(index);
        let limit = match attr.parse_args::<Limit>() {
            Ok(limit) => limit,
            Err(e) => return e.to_compile_error().into(),
        };
        let (validate, schema) = limit.expand();
        add_to(&mut field.attrs, "validate", validate);
        add_to(&mut field.attrs, "schema", schema);
    }
    quote!(#item).into()
}

/// Puts `items` first in the field's `#[name(...)]` (the limit is checked
/// before the field's own checks, so its error comes first), or adds one.
fn add_to(attrs: &mut Vec<Attribute>, name: &str, items: Tokens) {
    let ident = Ident::new(name, proc_macro2::Span::call_site());
    if let Some(attr) = attrs.iter_mut().find(|a| a.path().is_ident(name))
        && let syn::Meta::List(list) = &attr.meta
    {
        let existing = &list.tokens;
        *attr = syn::parse_quote!(#[#ident(#items, #existing)]);
        return;
    }
    attrs.push(syn::parse_quote!(#[#ident(#items)]));
}

/// What `#[limit(...)]` says: a kind of bound, its range, and for lists what
/// they hold.
struct Limit {
    kind: Ident,
    min: Option<Bound>,
    max: Bound,
    of: Option<LitStr>,
}

/// One end of a range: the literal as written (`100_000_000_000_i64`) and
/// its value, for messages.
struct Bound {
    tokens: Tokens,
    value: i128,
}

impl Bound {
    fn from_expr(expr: &Expr) -> syn::Result<Self> {
        let (negative, literal) = match expr {
            Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Neg(_)) => (true, &*unary.expr),
            other => (false, other),
        };
        let Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) = literal
        else {
            return Err(syn::Error::new_spanned(
                expr,
                "a limit is an integer literal",
            ));
        };
        let value: i128 = int.base10_parse()?;
        Ok(Self {
            tokens: quote!(#expr),
            value: if negative { -value } else { value },
        })
    }
}

impl Parse for Limit {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let kind: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let range: ExprRange = input.parse()?;
        if !matches!(range.limits, RangeLimits::Closed(_)) {
            return Err(syn::Error::new_spanned(
                &range,
                "write an inclusive range: 1..=200",
            ));
        }
        let max = range
            .end
            .as_deref()
            .ok_or_else(|| syn::Error::new_spanned(&range, "a limit has a maximum"))
            .and_then(Bound::from_expr)?;
        let min = range.start.as_deref().map(Bound::from_expr).transpose()?;
        let mut of = None;
        if input.parse::<Option<Token![,]>>()?.is_some() {
            let key: Ident = input.parse()?;
            if key != "of" {
                return Err(syn::Error::new_spanned(key, "expected `of = \"what\"`"));
            }
            input.parse::<Token![=]>()?;
            of = Some(input.parse()?);
        }
        if !["chars", "range", "items"].iter().any(|k| kind == k) {
            return Err(syn::Error::new_spanned(
                &kind,
                "expected chars, range or items",
            ));
        }
        Ok(Self { kind, min, max, of })
    }
}

impl Limit {
    /// The `validate` and `schema` items this limit stands for.
    fn expand(&self) -> (Tokens, Tokens) {
        let max = &self.max.tokens;
        let span = match &self.min {
            Some(min) => format!("{}-{}", min.value, self.max.value),
            None => self.max.value.to_string(),
        };
        let bounded = self.min.is_some();
        let min_tokens = self.min.as_ref().map(|m| &m.tokens);
        if self.kind == "range" {
            let min = min_tokens.expect("a range has both ends");
            let message = format!("must be {span}");
            (
                quote!(range(min = #min, max = #max, code = "out_of_range", message = #message)),
                quote!(minimum = #min, maximum = #max),
            )
        } else if self.kind == "items" {
            let min = min_tokens.expect("a list limit has both ends");
            let what = self
                .of
                .as_ref()
                .map_or_else(|| "items".to_string(), LitStr::value);
            let message = format!("must hold {span} {what}");
            (
                quote!(length(min = #min, max = #max, code = "invalid_length", message = #message)),
                quote!(min_items = #min, max_items = #max),
            )
        } else if bounded {
            let min = min_tokens.expect("checked");
            let message = format!("must be {span} characters");
            (
                quote!(length(min = #min, max = #max, code = "invalid_length", message = #message)),
                quote!(min_length = #min, max_length = #max),
            )
        } else {
            let message = format!("must be at most {span} characters");
            (
                quote!(length(max = #max, code = "invalid_length", message = #message)),
                quote!(max_length = #max),
            )
        }
    }
}
