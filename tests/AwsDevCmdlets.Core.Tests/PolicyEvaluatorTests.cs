using System.Text.Json;
using AwsDevCmdlets.Core.Policy;

namespace AwsDevCmdlets.Core.Tests;

/// <summary>
/// The evaluation rules of AWS's "Policy evaluation logic" and the IAM JSON policy element reference,
/// one row each. Policies are written with single quotes for readability.
/// </summary>
public sealed class PolicyEvaluatorTests
{
    private const string Alice = "arn:aws:iam::111122223333:user/alice";
    private const string Bob = "arn:aws:iam::111122223333:user/bob";
    private const string RoleArn = "arn:aws:iam::111122223333:role/Ops";
    private const string Session = "arn:aws:sts::111122223333:assumed-role/Ops/jane";
    private const string OtherSession = "arn:aws:sts::111122223333:assumed-role/Ops/joe";
    private const string Stranger = "arn:aws:iam::444455556666:user/mallory";
    private const string Object = "arn:aws:s3:::bucket/alice/report.pdf";

    // Single quotes stand for double quotes; a backtick for a single quote (policy variable defaults).
    private static PolicyDocument Doc(string json, string name = "p") => PolicyDocument.Parse(json.Replace('\'', '"').Replace('`', '\''), name);

    private static string Allow(string action, string resource, string extra = "") =>
        $"{{'Version':'2012-10-17','Statement':[{{'Effect':'Allow','Action':'{action}','Resource':'{resource}'{extra}}}]}}";

    private static string Deny(string action, string resource, string extra = "") =>
        $"{{'Version':'2012-10-17','Statement':[{{'Effect':'Deny','Action':'{action}','Resource':'{resource}'{extra}}}]}}";

    private static RequestContext Context(string? principal = Alice, string? contextJson = null, string? resourceAccount = null)
    {
        var keys = new List<KeyValuePair<string, ContextValue>>();
        if (contextJson != null)
        {
            foreach (var property in JsonDocument.Parse(contextJson.Replace('\'', '"')).RootElement.EnumerateObject())
            {
                keys.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.Array
                    ? ContextValue.Multi(property.Value.EnumerateArray().Select(v => v.GetString()!))
                    : ContextValue.Single(property.Value.GetString()!)));
            }
        }

        return new RequestContext(principal, resourceAccount, keys);
    }

    private static PolicyDecisionType Identity(string policy, string action, string resource, string? principal = Alice, string? context = null) =>
        PolicyEvaluator.Evaluate(new PolicySet { Identity = new[] { Doc(policy) } }, action, resource, Context(principal, context)).Decision;

    public static TheoryData<string, string, string, PolicyDecisionType> ActionsAndResources => new()
    {
        { Allow("s3:GetObject", "arn:aws:s3:::bucket/*"), "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { Allow("s3:GetObject", "arn:aws:s3:::bucket/*"), "s3:PutObject", Object, PolicyDecisionType.ImplicitDeny },
        { Allow("S3:getobject", "arn:aws:s3:::bucket/*"), "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { Allow("s3:Get*", "arn:aws:s3:::bucket/*"), "s3:GetObjectAcl", Object, PolicyDecisionType.Allowed },
        { Allow("s3:GetObjec?", "*"), "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { Allow("s3:GetObjec?", "*"), "s3:GetObjects", Object, PolicyDecisionType.ImplicitDeny },
        { Allow("s3:GetObject", "arn:aws:s3:::Bucket/*"), "s3:GetObject", Object, PolicyDecisionType.ImplicitDeny },
        { Allow("s3:GetObject", "arn:aws:s3:::b*"), "s3:GetObject", "arn:aws:s3:::bucket/a/b:c", PolicyDecisionType.Allowed },
        { Allow("s3:GetObject", "arn:aws:s3:::bucket/alice/report.pd?"), "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { Allow("*", "*"), "ec2:RunInstances", "*", PolicyDecisionType.Allowed },
        { "{'Statement':{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}}", "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { "{'Statement':{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}}", "iam:CreateUser", "*", PolicyDecisionType.ImplicitDeny },
        { "{'Statement':{'Effect':'Allow','Action':'s3:*','NotResource':'arn:aws:s3:::secret/*'}}", "s3:GetObject", Object, PolicyDecisionType.Allowed },
        { "{'Statement':{'Effect':'Allow','Action':'s3:*','NotResource':'arn:aws:s3:::secret/*'}}", "s3:GetObject", "arn:aws:s3:::secret/x", PolicyDecisionType.ImplicitDeny },
        { "{'Statement':[{'Effect':'Allow','Action':['s3:GetObject','s3:PutObject'],'Resource':['arn:aws:s3:::a/*','arn:aws:s3:::bucket/*']}]}", "s3:PutObject", Object, PolicyDecisionType.Allowed },
        { "{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'},{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'}]}", "s3:DeleteObject", Object, PolicyDecisionType.ExplicitDeny },
        { "{'Statement':[{'Effect':'Deny','NotAction':'s3:GetObject','Resource':'*'},{'Effect':'Allow','Action':'*','Resource':'*'}]}", "s3:PutObject", Object, PolicyDecisionType.ExplicitDeny },
    };

    [Theory]
    [MemberData(nameof(ActionsAndResources))]
    public void Actions_and_resources_match_as_documented(string policy, string action, string resource, PolicyDecisionType expected) =>
        Assert.Equal(expected, Identity(policy, action, resource));

    public static TheoryData<string, string?, bool> Conditions => new()
    {
        // Operator, its key and values as JSON; the context as JSON (null: no keys); whether the condition holds.
        { "'StringEquals':{'aws:RequestedRegion':'eu-west-1'}", "{'aws:RequestedRegion':'eu-west-1'}", true },
        { "'StringEquals':{'aws:RequestedRegion':'eu-west-1'}", "{'aws:RequestedRegion':'EU-WEST-1'}", false },
        { "'StringEqualsIgnoreCase':{'aws:RequestedRegion':'eu-west-1'}", "{'aws:RequestedRegion':'EU-WEST-1'}", true },
        { "'StringEquals':{'s3:prefix':'home*'}", "{'s3:prefix':'home/alice'}", false },
        { "'StringEquals':{'s3:prefix':'home*'}", "{'s3:prefix':'home*'}", true },
        { "'StringLike':{'s3:prefix':'home/*'}", "{'s3:prefix':'home/alice/docs'}", true },
        { "'StringNotLike':{'s3:prefix':'home/*'}", "{'s3:prefix':'tmp/x'}", true },
        { "'StringNotEquals':{'aws:RequestedRegion':'eu-west-1'}", null, true },
        { "'StringEquals':{'aws:RequestedRegion':'eu-west-1'}", null, false },
        { "'StringEquals':{'aws:RequestedRegion':['eu-west-1','eu-west-2']}", "{'aws:RequestedRegion':'eu-west-2'}", true },
        { "'StringEquals':{'aws:RequestedRegion':'eu-west-1','aws:PrincipalTag/team':'ops'}", "{'aws:RequestedRegion':'eu-west-1','aws:PrincipalTag/team':'dev'}", false },
        { "'StringEquals':{'aws:RequestedRegion':'eu-west-1'},'Bool':{'aws:SecureTransport':'true'}", "{'aws:RequestedRegion':'eu-west-1','aws:SecureTransport':'false'}", false },
        { "'StringEquals':{'AWS:REQUESTEDREGION':'eu-west-1'}", "{'aws:requestedregion':'eu-west-1'}", true },
        { "'NumericLessThan':{'s3:max-keys':'10'}", "{'s3:max-keys':'5'}", true },
        { "'NumericLessThan':{'s3:max-keys':10}", "{'s3:max-keys':'15'}", false },
        { "'NumericLessThanEquals':{'s3:max-keys':'10'}", "{'s3:max-keys':'10'}", true },
        { "'NumericGreaterThan':{'s3:max-keys':'10'}", "{'s3:max-keys':'ten'}", false },
        { "'NumericEquals':{'s3:max-keys':'10'}", "{'s3:max-keys':'10.0'}", true },
        { "'NumericNotEquals':{'s3:max-keys':'10'}", "{'s3:max-keys':'11'}", true },
        { "'NumericGreaterThanEquals':{'s3:max-keys':'10'}", "{'s3:max-keys':'9'}", false },
        { "'DateGreaterThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}", "{'aws:CurrentTime':'2026-11-24T06:00:00Z'}", true },
        { "'DateLessThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}", "{'aws:CurrentTime':'2026-11-24T06:00:00Z'}", false },
        { "'DateLessThan':{'aws:EpochTime':'1800000000'}", "{'aws:EpochTime':'1764000000'}", true },
        { "'DateEquals':{'aws:CurrentTime':'2026-11-24T06:00:00Z'}", "{'aws:CurrentTime':'1795500000'}", true },
        { "'DateEquals':{'aws:CurrentTime':'2026-11-24T06:00:00Z'}", "{'aws:CurrentTime':'1795500001'}", false },
        { "'DateGreaterThanEquals':{'aws:CurrentTime':'2026-11-24'}", "{'aws:CurrentTime':'2026-11-24T00:00:00Z'}", true },
        { "'DateNotEquals':{'aws:CurrentTime':'2026-11-24T00:00:00Z'}", "{'aws:CurrentTime':'2026-11-25T00:00:00Z'}", true },
        { "'Bool':{'aws:SecureTransport':'true'}", "{'aws:SecureTransport':'true'}", true },
        { "'Bool':{'aws:SecureTransport':true}", "{'aws:SecureTransport':'TRUE'}", true },
        { "'Bool':{'aws:SecureTransport':'false'}", "{'aws:SecureTransport':'true'}", false },
        { "'BinaryEquals':{'key':'QmluYXJ5VmFsdWU='}", "{'key':'QmluYXJ5VmFsdWU='}", true },
        { "'BinaryEquals':{'key':'QmluYXJ5VmFsdWU='}", "{'key':'b3RoZXI='}", false },
        { "'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}", "{'aws:SourceIp':'203.0.113.45'}", true },
        { "'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}", "{'aws:SourceIp':'203.0.114.1'}", false },
        { "'IpAddress':{'aws:SourceIp':['10.0.0.0/8','2001:DB8:1234:5678::/64']}", "{'aws:SourceIp':'2001:db8:1234:5678:0:0:0:1'}", true },
        { "'IpAddress':{'aws:SourceIp':'2001:DB8:1234:5678::/64'}", "{'aws:SourceIp':'2001:db8:1234:5679::1'}", false },
        { "'IpAddress':{'aws:SourceIp':'198.51.100.7'}", "{'aws:SourceIp':'198.51.100.7'}", true },
        { "'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}", "{'aws:SourceIp':'198.51.100.1'}", true },
        { "'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}", null, true },
        { "'ArnLike':{'aws:SourceArn':'arn:aws:sns:*:111122223333:*'}", "{'aws:SourceArn':'arn:aws:sns:eu-west-1:111122223333:topic'}", true },
        { "'ArnLike':{'aws:SourceArn':'arn:aws:sns:*:111122223333:*'}", "{'aws:SourceArn':'arn:aws:sns:eu-west-1:999999999999:topic'}", false },
        { "'ArnEquals':{'aws:SourceArn':'arn:aws:sns:eu-west-1:111122223333:topic'}", "{'aws:SourceArn':'arn:aws:sns:eu-west-1:111122223333:topic'}", true },
        { "'ArnNotLike':{'aws:SourceArn':'arn:aws:sns:*:111122223333:*'}", "{'aws:SourceArn':'arn:aws:sqs:eu-west-1:111122223333:q'}", true },
        { "'ArnNotEquals':{'aws:SourceArn':'arn:aws:sns:eu-west-1:111122223333:topic'}", null, true },
        { "'Null':{'aws:TokenIssueTime':'true'}", null, true },
        { "'Null':{'aws:TokenIssueTime':'true'}", "{'aws:TokenIssueTime':'2026-11-24T00:00:00Z'}", false },
        { "'Null':{'aws:TokenIssueTime':'false'}", "{'aws:TokenIssueTime':'2026-11-24T00:00:00Z'}", true },
        { "'Null':{'aws:TokenIssueTime':false}", null, false },
        { "'StringEqualsIfExists':{'ec2:InstanceType':'t3.micro'}", null, true },
        { "'StringEqualsIfExists':{'ec2:InstanceType':'t3.micro'}", "{'ec2:InstanceType':'m5.large'}", false },
        { "'NumericLessThanIfExists':{'s3:max-keys':'10'}", null, true },
        { "'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}", null, false },
        { "'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':[]}", false },
        { "'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':['cost','team']}", true },
        { "'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':['cost']}", false },
        { "'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}", null, true },
        { "'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':[]}", true },
        { "'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':['team','env']}", true },
        { "'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}", "{'aws:TagKeys':['team','cost']}", false },
        { "'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret']}", "{'aws:TagKeys':['team','cost']}", true },
        { "'ForAnyValue:StringNotEquals':{'aws:TagKeys':['secret']}", "{'aws:TagKeys':['secret']}", false },
        { "'ForAnyValue:StringLike':{'aws:TagKeys':'env*'}", "{'aws:TagKeys':['cost','environment']}", true },
        { "'StringEquals':{'aws:TagKeys':'team'}", "{'aws:TagKeys':['cost','team']}", true },
        { "'StringNotEquals':{'aws:TagKeys':'team'}", "{'aws:TagKeys':['cost','team']}", false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Conditions_evaluate_as_documented(string condition, string? context, bool holds)
    {
        var policy = Allow("s3:ListBucket", "*", $",'Condition':{{{condition}}}");

        Assert.Equal(holds ? PolicyDecisionType.Allowed : PolicyDecisionType.ImplicitDeny, Identity(policy, "s3:ListBucket", "*", Alice, context));
    }

    public static TheoryData<string, string, string?, string?, PolicyDecisionType> Variables => new()
    {
        // Resource pattern, requested resource, principal, context, decision.
        { "arn:aws:s3:::bucket/${aws:username}/*", Object, Alice, null, PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/${aws:username}/*", Object, Bob, null, PolicyDecisionType.ImplicitDeny },
        { "arn:aws:s3:::bucket/${aws:username}/*", Object, Session, null, PolicyDecisionType.ImplicitDeny },
        { "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*", "arn:aws:s3:::bucket/ops/x", Alice, "{'aws:PrincipalTag/team':'ops'}", PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/${aws:PrincipalTag/team, `shared`}/*", "arn:aws:s3:::bucket/shared/x", Alice, null, PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*", "arn:aws:s3:::bucket/ops/x", Alice, "{'aws:PrincipalTag/team':['ops','dev']}", PolicyDecisionType.ImplicitDeny },
        { "arn:aws:s3:::bucket/literal${*}", "arn:aws:s3:::bucket/literal*", Alice, null, PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/literal${*}", "arn:aws:s3:::bucket/literalX", Alice, null, PolicyDecisionType.ImplicitDeny },
        { "arn:aws:s3:::bucket/q${?}", "arn:aws:s3:::bucket/q?", Alice, null, PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/d${$}", "arn:aws:s3:::bucket/d$", Alice, null, PolicyDecisionType.Allowed },
        { "arn:aws:s3:::bucket/${aws:PrincipalAccount}/*", "arn:aws:s3:::bucket/111122223333/x", Session, null, PolicyDecisionType.Allowed },
    };

    [Theory]
    [MemberData(nameof(Variables))]
    public void Policy_variables_resolve_from_the_request(string pattern, string resource, string? principal, string? context, PolicyDecisionType expected) =>
        Assert.Equal(expected, Identity(Allow("s3:GetObject", pattern), "s3:GetObject", resource, principal, context));

    [Fact]
    public void Variables_work_only_under_the_2012_10_17_version()
    {
        var old = "{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket/${aws:username}/*'}}";

        Assert.Equal(PolicyDecisionType.ImplicitDeny, Identity(old, "s3:GetObject", Object));
        Assert.Equal(PolicyDecisionType.Allowed, Identity(old, "s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/x"));
    }

    [Fact]
    public void The_documented_home_folder_example_lets_a_user_list_only_their_own_prefix()
    {
        // From the IAM user guide: allow listing the bucket root, home/ and the user's own home/USER/.
        var policy = "{'Version':'2012-10-17','Statement':[{'Sid':'ListOwnHome','Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::bucket'," +
            "'Condition':{'StringLike':{'s3:prefix':['','home/','home/${aws:username}/*']}}}]}";

        Assert.Equal(PolicyDecisionType.Allowed, Identity(policy, "s3:ListBucket", "arn:aws:s3:::bucket", Alice, "{'s3:prefix':'home/alice/2026/'}"));
        Assert.Equal(PolicyDecisionType.Allowed, Identity(policy, "s3:ListBucket", "arn:aws:s3:::bucket", Alice, "{'s3:prefix':''}"));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Identity(policy, "s3:ListBucket", "arn:aws:s3:::bucket", Alice, "{'s3:prefix':'home/bob/'}"));
    }

    [Fact]
    public void Variables_in_condition_values_resolve_and_an_unresolvable_one_fails_the_condition()
    {
        var policy = Allow("s3:ListBucket", "*", ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'${aws:ResourceTag/team}'}}");

        Assert.Equal(PolicyDecisionType.Allowed, Identity(policy, "s3:ListBucket", "*", Alice, "{'aws:PrincipalTag/team':'ops','aws:ResourceTag/team':'ops'}"));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Identity(policy, "s3:ListBucket", "*", Alice, "{'aws:PrincipalTag/team':'ops','aws:ResourceTag/team':'dev'}"));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Identity(policy, "s3:ListBucket", "*", Alice, "{'aws:PrincipalTag/team':'ops'}"));
    }

    private static PolicyDecision Evaluate(PolicySet set, string principal, string action = "s3:GetObject", string resource = Object, string? resourceAccount = null) =>
        PolicyEvaluator.Evaluate(set, action, resource, Context(principal, null, resourceAccount));

    private static string ResourcePolicy(string principalJson, string effect = "Allow") =>
        $"{{'Version':'2012-10-17','Statement':[{{'Sid':'Grant','Effect':'{effect}','Principal':{principalJson},'Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket/*'}}]}}";

    [Theory]
    [InlineData("{'AWS':'arn:aws:iam::111122223333:user/alice'}", Alice, PolicyDecisionType.Allowed)]
    [InlineData("{'AWS':'arn:aws:iam::111122223333:user/alice'}", Bob, PolicyDecisionType.ImplicitDeny)]
    [InlineData("{'AWS':['arn:aws:iam::111122223333:user/bob','arn:aws:iam::111122223333:user/alice']}", Alice, PolicyDecisionType.Allowed)]
    [InlineData("'*'", Bob, PolicyDecisionType.Allowed)]
    [InlineData("{'AWS':'*'}", Bob, PolicyDecisionType.Allowed)]
    [InlineData("{'AWS':'arn:aws:iam::111122223333:root'}", Alice, PolicyDecisionType.ImplicitDeny)]
    [InlineData("{'AWS':'111122223333'}", Alice, PolicyDecisionType.ImplicitDeny)]
    [InlineData("{'AWS':'arn:aws:iam::111122223333:role/Ops'}", Session, PolicyDecisionType.Allowed)]
    [InlineData("{'AWS':'arn:aws:sts::111122223333:assumed-role/Ops/jane'}", Session, PolicyDecisionType.Allowed)]
    [InlineData("{'AWS':'arn:aws:sts::111122223333:assumed-role/Ops/jane'}", OtherSession, PolicyDecisionType.ImplicitDeny)]
    [InlineData("{'Service':'cloudtrail.amazonaws.com'}", Alice, PolicyDecisionType.ImplicitDeny)]
    public void In_the_same_account_a_resource_policy_that_names_the_caller_is_enough(string principal, string caller, PolicyDecisionType expected) =>
        Assert.Equal(expected, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy(principal)) }, caller).Decision);

    [Fact]
    public void A_grant_to_the_account_delegates_to_IAM()
    {
        var set = new PolicySet { Resource = Doc(ResourcePolicy("{'AWS':'arn:aws:iam::111122223333:root'}")), Identity = new[] { Doc(Allow("s3:GetObject", "*")) } };

        var decision = Evaluate(set, Alice);

        Assert.Equal(PolicyDecisionType.Allowed, decision.Decision);
        Assert.Contains("identity", decision.Reason);
    }

    [Fact]
    public void Across_accounts_both_the_identity_policy_and_the_resource_policy_must_allow()
    {
        var resource = Doc(ResourcePolicy("{'AWS':'arn:aws:iam::444455556666:root'}"));
        var identity = Doc(Allow("s3:GetObject", "*"));

        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Resource = resource }, Stranger, resourceAccount: "111122223333").Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity } }, Stranger, resourceAccount: "111122223333").Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Identity = new[] { identity }, Resource = resource }, Stranger, resourceAccount: "111122223333").Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny,
            Evaluate(new PolicySet { Identity = new[] { identity } }, Stranger, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:queue").Decision);
    }

    [Fact]
    public void A_permissions_boundary_limits_identity_grants_and_grants_to_the_role_but_not_to_a_user_or_a_session()
    {
        var identity = Doc(Allow("s3:GetObject", "*"));
        var boundary = Doc(Allow("ec2:*", "*"));

        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity }, PermissionBoundary = boundary }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Identity = new[] { identity }, PermissionBoundary = Doc(Allow("s3:*", "*")) }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{Alice}'}}")), PermissionBoundary = boundary }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{Session}'}}")), PermissionBoundary = boundary }, Session).Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{RoleArn}'}}")), PermissionBoundary = boundary }, Session).Decision);
        Assert.Equal(PolicyDecisionType.ExplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity }, PermissionBoundary = Doc(Deny("s3:*", "*")) }, Alice).Decision);
    }

    [Fact]
    public void A_session_policy_limits_grants_except_a_resource_policy_grant_to_the_session_itself()
    {
        var identity = Doc(Allow("s3:GetObject", "*"));
        var session = Doc(Allow("ec2:*", "*"));

        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity }, Session = session }, Session).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{Session}'}}")), Session = session }, Session).Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{RoleArn}'}}")), Session = session }, Session).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Identity = new[] { identity }, Session = Doc(Allow("s3:Get*", "*")) }, Session).Decision);
    }

    [Fact]
    public void Service_control_policies_only_limit_and_limit_resource_policy_grants_too()
    {
        var identity = Doc(Allow("s3:*", "*"));
        var scpAllowsEc2 = Doc(Allow("ec2:*", "*"), "ec2-only");
        var scpAllowsS3 = Doc(Allow("s3:*", "*"), "s3-too");

        var limited = Evaluate(new PolicySet { Identity = new[] { identity }, ServiceControl = new[] { scpAllowsEc2 } }, Alice);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, limited.Decision);
        Assert.Contains("service control", limited.Reason);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Identity = new[] { identity }, ServiceControl = new[] { scpAllowsEc2, scpAllowsS3 } }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { Resource = Doc(ResourcePolicy($"{{'AWS':'{Alice}'}}")), ServiceControl = new[] { scpAllowsEc2 } }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Evaluate(new PolicySet { ServiceControl = new[] { scpAllowsS3 } }, Alice).Decision);
        Assert.Equal(PolicyDecisionType.ExplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity }, ServiceControl = new[] { scpAllowsS3, Doc(Deny("s3:GetObject", "*")) } }, Alice).Decision);
    }

    [Fact]
    public void An_explicit_deny_in_any_policy_wins_and_says_which_statement()
    {
        var set = new PolicySet
        {
            Identity = new[] { Doc(Allow("s3:*", "*"), "admin") },
            Resource = Doc(ResourcePolicy($"{{'AWS':'{Alice}'}}", "Deny"), "bucket-policy"),
        };

        var decision = Evaluate(set, Alice);

        Assert.Equal(PolicyDecisionType.ExplicitDeny, decision.Decision);
        Assert.False(decision.IsAllowed);
        Assert.Contains(decision.MatchedStatements, m => m.PolicyType == PolicyType.Resource && m.PolicyName == "bucket-policy" && m.Statement == "Grant" && m.Effect == "Deny");
        Assert.Contains(decision.MatchedStatements, m => m.PolicyType == PolicyType.Identity && m.Statement == "#1" && m.Effect == "Allow");
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(set, Bob).Decision);
    }

    [Fact]
    public void NotPrincipal_denies_everyone_but_the_named_principals()
    {
        var resource = Doc("{'Statement':[{'Effect':'Deny','NotPrincipal':{'AWS':'" + Alice + "'},'Action':'s3:*','Resource':'*'}]}");
        var identity = Doc(Allow("s3:*", "*"));

        Assert.Equal(PolicyDecisionType.ExplicitDeny, Evaluate(new PolicySet { Identity = new[] { identity }, Resource = resource }, Bob).Decision);
        Assert.Equal(PolicyDecisionType.Allowed, Evaluate(new PolicySet { Identity = new[] { identity }, Resource = resource }, Alice).Decision);
    }

    [Fact]
    public void Principal_keys_are_derived_from_the_principal()
    {
        var context = Context(Session);
        var user = Context(Alice);

        Assert.Equal("arn:aws:iam::111122223333:role/Ops", context.SingleValue("aws:PrincipalArn"));
        Assert.Equal("111122223333", context.SingleValue("AWS:PRINCIPALACCOUNT"));
        Assert.Null(context.SingleValue("aws:username"));
        Assert.Equal("alice", user.SingleValue("aws:username"));
    }

    [Fact]
    public void Missing_context_keys_are_reported()
    {
        var policy = Allow("s3:GetObject", "*", ",'Condition':{'Bool':{'aws:MultiFactorAuthPresent':'true'},'StringEquals':{'aws:RequestedRegion':'eu-west-1'}}");

        var decision = PolicyEvaluator.Evaluate(new PolicySet { Identity = new[] { Doc(policy) } }, "s3:GetObject", Object, Context(Alice, "{'aws:RequestedRegion':'eu-west-1'}"));

        Assert.Equal(PolicyDecisionType.ImplicitDeny, decision.Decision);
        Assert.Equal(new[] { "aws:MultiFactorAuthPresent" }, decision.MissingContextKeys);
    }

    [Theory]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*',}]}", "InvalidPolicyJson", "line 1")]
    [InlineData("{\n  'Statement': [\n    { 'Effect': 'Allow' 'Action': 's3:*' }\n  ]\n}", "InvalidPolicyJson", "line 3")]
    [InlineData("{'Statement':[{'Effect':'Permit','Action':'s3:*','Resource':'*'}]}", "InvalidPolicy", "Allow or Deny")]
    [InlineData("{'Statement':[{'Effect':'Allow','Resource':'*'}]}", "InvalidPolicy", "Action")]
    [InlineData("{'Version':'2012-10-17'}", "InvalidPolicy", "Statement")]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEqualz':{'k':'v'}}}]}", "UnknownConditionOperator", "StringEqualz")]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'NullIfExists':{'k':'true'}}}]}", "UnknownConditionOperator", "NullIfExists")]
    public void Malformed_policies_are_refused_with_a_stable_id(string json, string errorId, string mentions)
    {
        var error = Assert.Throws<AwsDevException>(() => Doc(json, "bad"));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(mentions, error.Message);
    }

    [Theory]
    [InlineData("s3:Get*")]
    [InlineData("s3:GetObjec?")]
    [InlineData("GetObject")]
    [InlineData("s3:")]
    public void A_wildcard_or_malformed_action_is_refused(string action) =>
        Assert.Equal(ErrorIds.InvalidAction, Assert.Throws<AwsDevException>(() => PolicyInput.ValidateAction(action)).ErrorId);
}
