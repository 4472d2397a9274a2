using AwsDevCmdlets.Core.Credentials;
using Xunit;

namespace AwsDevCmdlets.Core.Tests;

public class CredentialSettingsTests
{
    public static TheoryData<CredentialSettings, string> InvalidSettings => new()
    {
        { new CredentialSettings { ProfileName = "dev", AccessKeyId = "AKIA1", SecretAccessKey = "s" }, ErrorIds.InvalidCredentialParameters },
        { new CredentialSettings { ProfileName = "  " }, ErrorIds.InvalidCredentialParameters },
        { new CredentialSettings { AccessKeyId = "AKIA1" }, ErrorIds.InvalidCredentialParameters },
        { new CredentialSettings { SecretAccessKey = "s" }, ErrorIds.InvalidCredentialParameters },
        { new CredentialSettings { SessionToken = "t" }, ErrorIds.InvalidCredentialParameters },
        { new CredentialSettings { Region = "US East 1" }, ErrorIds.InvalidRegion },
        { new CredentialSettings { Region = "us-east-1/" }, ErrorIds.InvalidRegion },
        { new CredentialSettings { EndpointUrl = "127.0.0.1:9000" }, ErrorIds.InvalidEndpointUrl },
        { new CredentialSettings { EndpointUrl = "ftp://example.test" }, ErrorIds.InvalidEndpointUrl },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Contradictory_or_malformed_settings_are_refused_with_a_stable_id(CredentialSettings settings, string errorId)
    {
        var error = Assert.Throws<AwsDevException>(() => settings.Validate("Test"));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void A_secret_never_appears_in_a_validation_message()
    {
        var settings = new CredentialSettings { AccessKeyId = "AKIAIOSFODNN7EXAMPLE", SecretAccessKey = "wJalrXUtnFEMI/K7MDENG", ProfileName = "dev" };
        var error = Assert.Throws<AwsDevException>(() => settings.Validate("Test"));
        Assert.DoesNotContain("wJalr", error.Message);
        Assert.DoesNotContain("wJalr", settings.ToString());
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", settings.ToString());
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-2")]
    [InlineData("us-gov-west-1")]
    [InlineData("local")]
    public void Region_names_in_the_usual_form_are_accepted(string region) =>
        new CredentialSettings { Region = region }.Validate("Test");

    [Fact]
    public void New_credentials_replace_old_ones_whole_and_region_and_endpoint_only_when_given()
    {
        var keys = new CredentialSettings { AccessKeyId = "AKIA1", SecretAccessKey = "s", SessionToken = "t", Region = "eu-west-1", EndpointUrl = "http://127.0.0.1:1" };

        var profile = keys.With(new CredentialSettings { ProfileName = "dev" });
        Assert.Equal("dev", profile.ProfileName);
        Assert.Null(profile.AccessKeyId);
        Assert.Null(profile.SessionToken);
        Assert.Equal("eu-west-1", profile.Region);
        Assert.Equal("http://127.0.0.1:1", profile.EndpointUrl);

        var regionOnly = profile.With(new CredentialSettings { Region = "ap-south-1" });
        Assert.Equal("dev", regionOnly.ProfileName);
        Assert.Equal("ap-south-1", regionOnly.Region);
        Assert.Equal("eu-west-1", profile.Region);
    }
}
