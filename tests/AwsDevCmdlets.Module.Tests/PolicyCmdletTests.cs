using System.Management.Automation;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class PolicyCmdletTests : IDisposable
{
    private const string Alice = "arn:aws:iam::111122223333:user/alice";
    private const string ReadOwnFolder = """
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "ReadOwnFolder", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/${aws:username}/*" },
            { "Sid": "NoPlainHttp", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
          ]
        }
        """;

    private readonly IsolatedAwsEnvironment _env = new();
    private readonly PowerShellSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _env.Dispose();
    }

    private static object? Property(object item, string name) => Ps.Property(item, name);

    [Fact]
    public void One_decision_per_action_and_resource_with_the_deciding_statements()
    {
        var decisions = _session.Invoke(
            "Test-DevPolicy s3:GetObject, s3:DeleteObject arn:aws:s3:::bucket/alice/a.txt, arn:aws:s3:::bucket/bob/b.txt -IdentityPolicy $args[0] -PrincipalArn $args[1] -Context @{ 'aws:SecureTransport' = 'true' }",
            ReadOwnFolder, Alice).ThrowIfErrors().Output.Select(o => o.BaseObject).ToList();

        Assert.Equal(4, decisions.Count);
        Assert.Equal("AwsDevCmdlets.PolicyDecision", decisions[0].GetType().FullName);
        Assert.Equal(new[] { "Allowed", "ImplicitDeny", "ImplicitDeny", "ImplicitDeny" }, decisions.Select(d => Property(d, "Decision")!.ToString()));
        Assert.Equal(true, Property(decisions[0], "IsAllowed"));
        var matched = Assert.Single(((System.Collections.IEnumerable)Property(decisions[0], "MatchedStatements")!).Cast<object>());
        Assert.Equal("ReadOwnFolder", Property(matched, "Statement"));
        Assert.Equal("Identity", Property(matched, "PolicyType")!.ToString());
    }

    [Fact]
    public void A_hashtable_policy_and_multivalued_context_keys_work()
    {
        var decision = _session.Invoke("""
            $policy = @{ Version = '2012-10-17'; Statement = @{ Effect = 'Allow'; Action = 'ec2:CreateTags'; Resource = '*'
                Condition = @{ 'ForAllValues:StringEquals' = @{ 'aws:TagKeys' = @('env', 'team') }; 'NumericLessThan' = @{ 'ec2:Count' = 5 } } } }
            Test-DevPolicy ec2:CreateTags -IdentityPolicy $policy -Context @{ 'aws:TagKeys' = @('team'); 'ec2:Count' = 3 }
            Test-DevPolicy ec2:CreateTags -IdentityPolicy $policy -Context @{ 'aws:TagKeys' = @('team', 'secret'); 'ec2:Count' = 3 }
            Test-DevPolicy ec2:CreateTags -IdentityPolicy $policy -Context @{ 'aws:TagKeys' = @(); 'ec2:Count' = 3 }
            """).ThrowIfErrors().Output.Select(o => Property(o.BaseObject, "Decision")!.ToString());

        Assert.Equal(new[] { "Allowed", "ImplicitDeny", "Allowed" }, decision);
    }

    [Fact]
    public void Quiet_returns_one_bool_for_all_pairs()
    {
        var allowed = _session.Invoke("Test-DevPolicy s3:GetObject, s3:PutObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $args[0] -PrincipalArn $args[1] -Quiet", ReadOwnFolder, Alice).Single();
        var notAll = _session.Invoke("Test-DevPolicy s3:GetObject, s3:DeleteObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $args[0] -PrincipalArn $args[1] -Quiet", ReadOwnFolder, Alice).Single();

        Assert.Equal(true, allowed);
        Assert.Equal(false, notAll);
    }

    [Fact]
    public void Actions_and_resources_bind_from_the_pipeline_by_property_name()
    {
        var decisions = _session.Invoke("""
            $expectations = @(
                [pscustomobject]@{ Action = 's3:GetObject'; Resource = 'arn:aws:s3:::bucket/alice/1' }
                [pscustomobject]@{ Action = 's3:PutObject'; Resource = 'arn:aws:s3:::bucket/bob/2' }
            )
            $expectations | Test-DevPolicy -IdentityPolicy $args[0] -PrincipalArn $args[1] | ForEach-Object { '{0} {1} {2}' -f $_.Action, $_.Resource, $_.Decision }
            """, ReadOwnFolder, Alice).ThrowIfErrors().Output.Select(o => o.ToString());

        Assert.Equal(new[] { "s3:GetObject arn:aws:s3:::bucket/alice/1 Allowed", "s3:PutObject arn:aws:s3:::bucket/bob/2 ImplicitDeny" }, decisions);
    }

    [Fact]
    public void Read_DevPolicy_names_policies_after_their_files()
    {
        var path = _env.WriteFile("read-own-folder.json", ReadOwnFolder);
        _env.WriteFile("broken.json", "{ \"Statement\": [ {\n \"Effect\": \"Allow\",, } ] }");

        var decision = _session.Invoke("Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy (Read-DevPolicy $args[0]) -PrincipalArn $args[1]", path, Alice).Single();
        var broken = _session.Invoke("Read-DevPolicy $args[0]", Path.Combine(_env.Folder, "broken.json")).SingleError();

        var matched = ((System.Collections.IEnumerable)Property(decision, "MatchedStatements")!).Cast<object>().Single();
        Assert.Equal("read-own-folder", Property(matched, "PolicyName"));
        Assert.Equal("InvalidPolicyJson,AwsDevCmdlets.Commands.ReadDevPolicyCommand", broken.FullyQualifiedErrorId);
        Assert.Contains("line 2", broken.Exception.Message);
    }

    [Theory]
    [InlineData("Test-DevPolicy 's3:*' -IdentityPolicy '{\"Statement\":[]}'", "InvalidAction")]
    [InlineData("Test-DevPolicy s3:GetObject -IdentityPolicy '{\"Statement\": [ { \"Effect\": \"Allow\" } '", "InvalidPolicyJson")]
    [InlineData("Test-DevPolicy s3:GetObject -IdentityPolicy '{\"Statement\":{\"Effect\":\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}'", "InvalidPolicy")]
    [InlineData("Test-DevPolicy s3:GetObject -IdentityPolicy '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringSimilar\":{\"a\":\"b\"}}}}'", "UnknownConditionOperator")]
    [InlineData("Test-DevPolicy s3:GetObject -ResourceAccount 12345", "ParameterArgumentValidationError")]
    public void Malformed_input_is_a_terminating_error_with_a_stable_id(string script, string errorId)
    {
        var result = _session.Invoke("try { " + script + "; 'went on' } catch { $_ }");

        var record = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
        Assert.StartsWith(errorId + ",", record.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_default_view_is_a_table_of_decisions()
    {
        var text = _session.Format($"Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy '{ReadOwnFolder.Replace("'", "''", StringComparison.Ordinal)}' -PrincipalArn {Alice}");

        Assert.Matches(@"Decision\s+Action\s+Resource\s+MatchedStatements", text);
        Assert.Matches(@"Allowed\s+s3:GetObject\s+arn:aws:s3:::bucket/alice/x\s+Identity:IdentityPolicy/ReadOwnFolder", text);
    }

    [Fact]
    public void Should_BeAllowed_and_BeDenied_register_with_Pester_and_explain_failures()
    {
        // Pester is not installed here: a stand-in Add-ShouldOperator records what the module registers.
        using var session = new PowerShellSession(importModule: false);
        var result = session.Invoke("""
            $global:operators = @{}
            function global:Get-ShouldOperator { }
            function global:Add-ShouldOperator { param($Name, $Test, [switch] $SupportsArrayInput) $global:operators[$Name] = $Test }
            Import-Module $args[0]
            $allowed = Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $args[1] -PrincipalArn $args[2]
            $denied = Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/bob/x -IdentityPolicy $args[1] -PrincipalArn $args[2]
            & $operators.BeAllowed -ActualValue $allowed
            & $operators.BeAllowed -ActualValue $denied
            & $operators.BeDenied -ActualValue $denied
            & $operators.BeDenied -ActualValue $allowed -Negate
            & $operators.BeAllowed -ActualValue 'not a decision'
            """, PowerShellSession.ManifestPath, ReadOwnFolder, Alice).ThrowIfErrors().Output.Cast<object>().ToList();

        Assert.Equal(new object[] { true, false, true, true, false }, result.Select(r => Property(r, "Succeeded")!));
        var message = (string)Property(result[1], "FailureMessage")!;
        Assert.Contains("Expected s3:GetObject on arn:aws:s3:::bucket/bob/x to be allowed, but it was ImplicitDeny.", message);
        Assert.Contains("Deciding statements: none", message);
        Assert.Contains("AwsDevCmdlets.PolicyDecision", (string)Property(result[4], "FailureMessage")!);
    }
}
