namespace AwsDevCmdlets.Core
{
    /// <summary>The one place where a credential value is turned into something safe to show.</summary>
    public static class Secrets
    {
        /// <summary>
        /// Masks an access key id to its last four characters, the way `aws configure list` shows it,
        /// so that two keys can still be told apart without revealing either.
        /// </summary>
        public static string MaskAccessKey(string? accessKeyId)
        {
            if (string.IsNullOrEmpty(accessKeyId))
            {
                return string.Empty;
            }

            var visible = accessKeyId!.Length > 4 ? accessKeyId.Substring(accessKeyId.Length - 4) : string.Empty;
            return new string('*', 16) + visible;
        }

        public const string Masked = "********";
    }
}
