using AwsDevCmdlets.Core;
using Xunit;

namespace AwsDevCmdlets.Core.Tests;

public class SecretsTests
{
    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "****************MPLE")]
    [InlineData("ASIA1234", "****************1234")]
    [InlineData("ABCD", "****************")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Access_key_ids_are_masked_to_their_last_four_characters(string? accessKeyId, string expected) =>
        Assert.Equal(expected, Secrets.MaskAccessKey(accessKeyId));
}
