using System;

namespace AwsDevCmdlets
{
    /// <summary>
    /// What went wrong, in words PowerShell can turn into an ErrorRecord without guessing: a stable
    /// error id, a kind that maps onto an ErrorCategory, and the input the error is about.
    /// </summary>
    public sealed class AwsDevException : Exception
    {
        public AwsDevException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        public object? Target { get; }
    }

    /// <summary>The failure kinds the engine reports; the cmdlet layer maps each onto an ErrorCategory.</summary>
    public enum ErrorKind
    {
        NotSpecified,
        InvalidArgument,
        ObjectNotFound,
        PermissionDenied,
        AuthenticationError,
        OperationTimeout,
        ConnectionError,
        ResourceUnavailable,
        InvalidData,
        InvalidOperation,
        OperationStopped,
    }

    /// <summary>Every error id the module writes, in one place, so that scripts can rely on them.</summary>
    public static class ErrorIds
    {
        public const string ProfileNotFound = "ProfileNotFound";
        public const string NoCredentials = "NoCredentials";
        public const string InvalidCredentialParameters = "InvalidCredentialParameters";
        public const string CredentialResolutionFailed = "CredentialResolutionFailed";
        public const string InvalidRegion = "InvalidRegion";
        public const string InvalidEndpointUrl = "InvalidEndpointUrl";
        public const string ImdsUnavailable = "ImdsUnavailable";
        public const string AccessDenied = "AccessDenied";
        public const string InvalidClientTokenId = "InvalidClientTokenId";
        public const string AwsRequestFailed = "AwsRequestFailed";
        public const string RequestTimeout = "RequestTimeout";
        public const string EndpointUnreachable = "EndpointUnreachable";
        public const string Unexpected = "Unexpected";
        public const string InvalidS3Uri = "InvalidS3Uri";
        public const string InvalidBucketName = "InvalidBucketName";
        public const string BucketNotFound = "BucketNotFound";
        public const string BucketNotEmpty = "BucketNotEmpty";
        public const string BucketAlreadyExists = "BucketAlreadyExists";
        public const string ObjectNotFound = "ObjectNotFound";
        public const string LocalPathNotFound = "LocalPathNotFound";
        public const string InvalidCopy = "InvalidCopy";
        public const string TransferFailed = "TransferFailed";
        public const string IntegrityCheckFailed = "IntegrityCheckFailed";
        public const string InvalidPolicyJson = "InvalidPolicyJson";
        public const string InvalidPolicy = "InvalidPolicy";
        public const string UnknownConditionOperator = "UnknownConditionOperator";
        public const string InvalidAction = "InvalidAction";
        public const string InvalidContext = "InvalidContext";
    }
}
