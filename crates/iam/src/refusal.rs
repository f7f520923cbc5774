//! What IAM answers when it refuses to save a policy document: a
//! `MalformedPolicyDocument` error whose message is one of a few fixed
//! sentences, and the rules on actions and resource ARNs behind some of them.
//!
//! IAM checks a document in a fixed order and names only the first problem
//! it meets: the JSON's shape ("Syntax errors in policy."), then the
//! language version of a managed policy, then the older parser's rules
//! ("The policy failed legacy parsing": Effect's case, dates, ARNs with too
//! few fields), duplicate Sids, missing actions, the format of each
//! resource, the vendor of each action, and last the rules of the kind of
//! policy (a managed policy needs resources; a trust policy grants only STS
//! actions and has no Resource). [`Refusal`]'s variants are in that order,
//! so problems sorted by it start with the one IAM would name.
//!
//! The wording of each message is IAM's, as moto's tests hold it
//! (getmoto/moto, tests/test_iam/test_iam_policies.py and test_iam.py, whose
//! messages come from AWS; crates/iam/tests/corpus holds them as cases), or
//! as AWS returned it in public reports where moto has no test (each cited
//! beside its variant).

use crate::wildcard_match;

/// One reason IAM refuses a policy document, in the order IAM checks them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON, or JSON of the wrong shape: an unknown element, a wrong
    /// type, a Version that is not one of the two, an Effect that is neither.
    Syntax,
    /// A managed policy without `"Version": "2012-10-17"`.
    Version,
    /// The older parser's rules: Effect spelled in another case, a date it
    /// cannot read, an ARN with too few fields or no service.
    LegacyParsing,
    /// Two statements with the same (non-empty) Sid.
    SidNotUnique,
    /// A statement without Action or NotAction.
    NoActions,
    /// A resource that is not `*` and has no colon at all.
    ResourceNotArn(String),
    /// A resource whose second field is not a partition; IAM shows it with
    /// its missing fields as `*`.
    Partition { partition: String, shown: String },
    /// A resource with nothing after the partition.
    ResourceVendor,
    /// An IAM ARN with a Region.
    IamRegion(String),
    /// An S3 ARN with a Region (an access point excepted).
    S3Region(String),
    /// An IAM ARN whose resource does not start with one of IAM's types.
    IamPath,
    /// An action without `service:`.
    ActionVendorMissing,
    /// An action with two colons or more.
    ActionColons,
    /// An action whose service holds characters services never have.
    ActionVendor(String),
    /// A permissions statement without Resource or NotResource.
    NoResources,
    /// A trust policy's action other than STS's.
    TrustActions,
    /// A trust policy with Resource or NotResource.
    TrustResource,
    /// A Principal in a permissions policy. AWS's words, as IAM returned them
    /// to hashicorp/terraform-provider-aws#10419.
    PrincipalInIdentity,
    /// No Principal in a trust or resource-based policy. AWS's words, as
    /// reported in humanmade/S3-Uploads#191.
    NoPrincipal,
    /// A principal IAM cannot resolve, shown as `"KIND":"VALUE"`. AWS's
    /// words, as in aws-actions/configure-aws-credentials#332.
    InvalidPrincipal(String),
    /// A Sid with characters other than letters and digits. AWS's words, as
    /// in Wolox/carthage_cache#22; the rule is in the IAM User Guide
    /// ("IAM JSON policy elements: Sid").
    SidCharacters,
}

impl Refusal {
    /// The message of IAM's `MalformedPolicyDocument` error.
    pub fn message(&self) -> String {
        match self {
            Refusal::Syntax => "Syntax errors in policy.".into(),
            Refusal::Version => "Policy document must be version 2012-10-17 or greater.".into(),
            Refusal::LegacyParsing => "The policy failed legacy parsing".into(),
            Refusal::SidNotUnique => "Statement IDs (SID) in a single policy must be unique.".into(),
            Refusal::NoActions => "Policy statement must contain actions.".into(),
            Refusal::ResourceNotArn(resource) => format!("Resource {resource} must be in ARN format or \"*\"."),
            Refusal::Partition { partition, shown } => {
                format!("Partition \"{partition}\" is not valid for resource \"{shown}\".")
            }
            Refusal::ResourceVendor => "Resource vendor must be fully qualified and cannot contain regexes.".into(),
            Refusal::IamRegion(resource) => format!("IAM resource {resource} cannot contain region information."),
            Refusal::S3Region(resource) => format!("Resource {resource} can not contain region information."),
            Refusal::IamPath => {
                format!("IAM resource path must either be \"*\" or start with {}.", IAM_RESOURCE_TYPES.join(", "))
            }
            Refusal::ActionVendorMissing => {
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.".into()
            }
            Refusal::ActionColons => "Actions/Condition can contain only one colon.".into(),
            Refusal::ActionVendor(vendor) => format!("Vendor {vendor} is not valid"),
            Refusal::NoResources => "Policy statement must contain resources.".into(),
            // Two spaces before "and": IAM's own text.
            Refusal::TrustActions => "Trust Policy statement actions can only be sts:AssumeRole, \
                                      sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
                .into(),
            Refusal::TrustResource => "Has prohibited field Resource.".into(),
            Refusal::PrincipalInIdentity => "Policy document should not specify a principal.".into(),
            Refusal::NoPrincipal => "Missing required field Principal".into(),
            Refusal::InvalidPrincipal(shown) => format!("Invalid principal in policy: {shown}"),
            Refusal::SidCharacters => "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies \
                                       the regular expression [0-9A-Za-z]*"
                .into(),
        }
    }

    /// Where IAM checks for this problem: a smaller rank is checked first.
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Refusal::Syntax => 0,
            Refusal::Version => 1,
            Refusal::LegacyParsing => 2,
            Refusal::SidNotUnique => 3,
            Refusal::NoActions => 4,
            Refusal::ResourceNotArn(_)
            | Refusal::Partition { .. }
            | Refusal::ResourceVendor
            | Refusal::IamRegion(_)
            | Refusal::S3Region(_)
            | Refusal::IamPath => 5,
            Refusal::ActionVendorMissing | Refusal::ActionColons | Refusal::ActionVendor(_) => 6,
            Refusal::NoResources => 7,
            Refusal::TrustActions => 8,
            Refusal::TrustResource => 9,
            Refusal::PrincipalInIdentity
            | Refusal::NoPrincipal
            | Refusal::InvalidPrincipal(_)
            | Refusal::SidCharacters => 10,
        }
    }
}

/// The partitions an ARN may name (moto's list, from botocore's endpoints).
pub const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-eusc"];

/// What an IAM ARN's resource starts with, in IAM's order.
const IAM_RESOURCE_TYPES: &[&str] = &[
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// The STS actions IAM takes in a trust policy. Its message names three;
/// it also takes the others moto lists (the STS service reference's
/// actions: sts:TagSession was added after AWS accepted it, getmoto/moto#5403,
/// and sts:SetSourceIdentity after #5750), and sts:SetContext, which trusted
/// identity propagation needs in the role's trust policy.
pub const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
    "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
    "sts:GetCallerIdentity",
    "sts:GetFederationToken",
    "sts:GetServiceBearerToken",
    "sts:GetSessionToken",
];

/// Whether a trust policy may hold `action`: an STS action, or a pattern of
/// STS's that matches one of them (`sts:Assume*`).
pub(crate) fn trust_action(action: &str) -> bool {
    let sts = action.split_once(':').is_some_and(|(service, _)| service.eq_ignore_ascii_case("sts"));
    sts && TRUST_ACTIONS.iter().any(|known| wildcard_match(action, known, true))
}

/// What is wrong with an action's form, if anything: `service:Operation`,
/// one colon, a service of letters, digits, `-` and `.` (or `*` alone).
pub(crate) fn action_problem(action: &str) -> Option<Refusal> {
    let parts: Vec<&str> = action.split(':').collect();
    if parts.len() == 1 && parts[0] != "*" {
        return Some(Refusal::ActionVendorMissing);
    }
    if parts.len() > 2 {
        return Some(Refusal::ActionColons);
    }
    let vendor = parts[0];
    if vendor != "*" && !vendor.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Some(Refusal::ActionVendor(vendor.to_string()));
    }
    None
}

/// What is wrong with a resource's ARN, if anything, in the order IAM
/// checks: a colon at all, a known partition, something after it, no Region
/// for IAM and S3 (S3 access points excepted), and a type for IAM's.
pub(crate) fn resource_problem(resource: &str) -> Option<Refusal> {
    if resource == "*" {
        return None;
    }
    // The first field is not read ("arn" by convention); the rest is.
    let Some((_, rest)) = resource.split_once(':') else {
        return Some(Refusal::ResourceNotArn(resource.to_string()));
    };
    let (partition, after) = match rest.split_once(':') {
        Some((partition, after)) => (partition, Some(after)),
        None => (rest, None),
    };
    if partition != "*" && !PARTITIONS.contains(&partition) {
        // IAM shows the ARN it tried to read, its missing fields as "*".
        let fields: Vec<&str> = after.unwrap_or("").split(':').collect();
        let field = |i: usize| -> String {
            match fields.get(i) {
                Some(f) if i > 0 || !f.is_empty() || fields.len() > 1 => f.to_string(),
                _ => "*".into(),
            }
        };
        let last = if fields.len() > 3 { fields[3..].join(":") } else { "*".into() };
        let shown = format!("arn:{partition}:{}:{}:{}:{last}", field(0), field(1), field(2));
        return Some(Refusal::Partition { partition: partition.to_string(), shown });
    }
    let Some(after) = after else {
        return Some(Refusal::ResourceVendor);
    };
    let (service, after_service) = after.split_once(':').unwrap_or((after, ""));
    let (region, after_region) = after_service.split_once(':').unwrap_or((after_service, ""));
    let (_account, resource_part) = after_region.split_once(':').unwrap_or((after_region, ""));
    if !region.is_empty() {
        if service == "iam" {
            return Some(Refusal::IamRegion(resource.to_string()));
        }
        if service == "s3" && !resource_part.starts_with("accesspoint/") {
            return Some(Refusal::S3Region(resource.to_string()));
        }
    }
    if service == "iam" && !IAM_RESOURCE_TYPES.iter().any(|t| resource_part.starts_with(t)) {
        return Some(Refusal::IamPath);
    }
    None
}

/// Whether the older parser reads `resource`: six fields (or no empty one),
/// and a service.
pub(crate) fn legacy_resource(resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let fields_ok = resource.matches(':').count() >= 5 || !resource.contains("::");
    let service_ok = resource.split(':').nth(2).is_none_or(|s| !s.is_empty());
    fields_ok && service_ok
}

/// Whether the older parser reads a Date condition's value: epoch seconds
/// (up to 2^63 - 1), or an ISO 8601 date and time whose fields are in range.
pub(crate) fn legacy_date(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains('t') || lower.contains('-') {
        iso_8601(&lower).is_some()
    } else {
        lower.parse::<u64>().is_ok_and(|n| n <= i64::MAX as u64)
    }
}

/// The older parser's reading of an ISO 8601 date and time, lower-cased;
/// `None` where it fails.
fn iso_8601(text: &str) -> Option<()> {
    let in_range = |field: &str, low: i64, high: i64| field.parse::<i64>().ok().filter(|v| (low..=high).contains(v));
    let (date, time) = text.split_once('t').unwrap_or((text, ""));
    let (negative, date) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let year = if negative { format!("-{}", parts[0]) } else { parts[0].to_string() };
    in_range(&year, -292_275_054, 292_278_993)?;
    if let Some(month) = parts.get(1) {
        in_range(month, 1, 12)?;
    }
    if let Some(day) = parts.get(2) {
        in_range(day, 1, 31)?;
    }
    if parts.len() > 3 {
        return None;
    }
    let clock: Vec<&str> = time.split(':').collect();
    if !clock[0].is_empty() {
        in_range(clock[0], 0, 23)?;
    }
    if let Some(minutes) = clock.get(1) {
        in_range(minutes, 0, 59)?;
    }
    if let Some(third) = clock.get(2) {
        let seconds = if let Some((seconds, rest)) = third.split_once('z') {
            if !rest.is_empty() {
                return None;
            }
            seconds
        } else if let Some((seconds, zone)) = third.split_once('+') {
            let (hours, minutes) = match zone.split_once(':') {
                Some((h, m)) => (h, Some(m)),
                None => (zone, None),
            };
            if hours.len() != 2 {
                return None;
            }
            in_range(hours, 0, 23)?;
            if let Some(minutes) = minutes {
                if minutes.len() != 2 {
                    return None;
                }
                in_range(minutes, 0, 59)?;
            }
            seconds
        } else {
            third
        };
        let (whole, fraction) = match seconds.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (seconds, None),
        };
        in_range(whole, 0, 59)?;
        if let Some(fraction) = fraction {
            in_range(fraction, 0, 999_999_999)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_read_as_iam_reads_them() {
        assert_eq!(resource_problem("arn:aws:s3:::photo-uploads/*"), None);
        assert_eq!(resource_problem("arn:aws:s3:us-east-1:123456789012:accesspoint/ap"), None);
        assert_eq!(
            resource_problem("arn:aws:s3:us-east-1:123456789012:photo-uploads/*"),
            Some(Refusal::S3Region("arn:aws:s3:us-east-1:123456789012:photo-uploads/*".into()))
        );
        assert_eq!(resource_problem("arn:aws:iam::123456789012:photo-reader"), Some(Refusal::IamPath));
        assert_eq!(resource_problem("arn:aws:iam::123456789012:role/photo-reader"), None);
        assert_eq!(
            resource_problem("arn:amazon:s3:::photo-uploads"),
            Some(Refusal::Partition { partition: "amazon".into(), shown: "arn:amazon:s3:::photo-uploads".into() })
        );
        assert!(!legacy_resource("arn:aws:s3::photo-uploads/*"));
        assert!(legacy_resource("arn:aws:s3:::photo-uploads/*"));
        assert!(!legacy_resource("arn:aws::::bucket"));
    }

    #[test]
    fn dates_are_read_as_the_older_parser_reads_them() {
        assert!(legacy_date("2024-05-01T12:00:00Z"));
        assert!(legacy_date("1717200000"));
        assert!(legacy_date("01T"));
        assert!(!legacy_date("234-13"));
        assert!(!legacy_date("9223372036854775808"));
        assert!(!legacy_date("yesterday"));
    }

    #[test]
    fn trust_policies_take_sts_actions_only() {
        assert!(trust_action("sts:AssumeRole"));
        assert!(trust_action("sts:Assume*"));
        assert!(trust_action("sts:TagSession"));
        assert!(!trust_action("sts:BadAssumeRole"));
        assert!(!trust_action("lambda:InvokeFunction"));
        assert!(!trust_action("*"));
    }
}
