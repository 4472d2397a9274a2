using System;
using System.IO;
using System.Net;
using System.Net.Http;
using Amazon.Runtime;

namespace AwsDevCmdlets.Core
{
    /// <summary>
    /// Turns whatever the SDK or the network threw into an <see cref="AwsDevException"/> with a stable
    /// id and kind, so that the cmdlet layer never shows a .NET stack for an ordinary failure.
    /// </summary>
    public static class AwsErrors
    {
        public static AwsDevException Translate(Exception error, string context, object? target)
        {
            switch (error)
            {
                case AwsDevException known:
                    return known;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    return Translate(aggregate.InnerException!, context, target);
                case AmazonServiceException service:
                    return FromService(service, context, target);
                case ProcessAWSCredentialException process:
                    return new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.AuthenticationError, $"{context}: {process.Message}", target, process);
                case AmazonClientException client when client.InnerException is HttpRequestException || client.InnerException is WebException:
                    return Unreachable(client.InnerException!, context, target);
                case HttpRequestException _:
                case WebException _:
                case IOException _:
                    return Unreachable(error, context, target);
                case TimeoutException _:
                case OperationCanceledException _:
                    return new AwsDevException(ErrorIds.RequestTimeout, ErrorKind.OperationTimeout, $"{context}: the request timed out.", target, error);
                case AmazonClientException client:
                    return new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.AuthenticationError, $"{context}: {client.Message}", target, client);
                case ArgumentException _:
                case InvalidOperationException _:
                case InvalidDataException _:
                    return new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.InvalidData, $"{context}: {error.Message}", target, error);
                default:
                    return new AwsDevException(ErrorIds.Unexpected, ErrorKind.NotSpecified, $"{context}: {error.GetType().Name}: {error.Message}", target, error);
            }
        }

        private static AwsDevException FromService(AmazonServiceException service, string context, object? target)
        {
            var code = service.ErrorCode ?? string.Empty;
            var message = $"{context}: {code} {service.Message}".TrimEnd();
            switch (code)
            {
                case "NoSuchBucket":
                    return new AwsDevException(ErrorIds.BucketNotFound, ErrorKind.ObjectNotFound, message, target, service);
                case "NoSuchKey":
                    return new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound, message, target, service);
                case "BucketNotEmpty":
                    return new AwsDevException(ErrorIds.BucketNotEmpty, ErrorKind.InvalidOperation, message, target, service);
                case "BucketAlreadyExists":
                case "BucketAlreadyOwnedByYou":
                    return new AwsDevException(ErrorIds.BucketAlreadyExists, ErrorKind.InvalidOperation, message, target, service);
                case "InvalidBucketName":
                    return new AwsDevException(ErrorIds.InvalidBucketName, ErrorKind.InvalidArgument, message, target, service);
                case "AccessDenied":
                case "AccessDeniedException":
                case "UnauthorizedOperation":
                case "AllAccessDisabled":
                    return new AwsDevException(ErrorIds.AccessDenied, ErrorKind.PermissionDenied, message, target, service);
                case "InvalidClientTokenId":
                case "InvalidAccessKeyId":
                case "SignatureDoesNotMatch":
                case "ExpiredToken":
                case "ExpiredTokenException":
                case "InvalidToken":
                    return new AwsDevException(ErrorIds.InvalidClientTokenId, ErrorKind.AuthenticationError, message, target, service);
            }

            switch (service.StatusCode)
            {
                case HttpStatusCode.Forbidden:
                    return new AwsDevException(ErrorIds.AccessDenied, ErrorKind.PermissionDenied, message, target, service);
                case HttpStatusCode.NotFound:
                    return new AwsDevException(ErrorIds.AwsRequestFailed, ErrorKind.ObjectNotFound, message, target, service);
                case HttpStatusCode.RequestTimeout:
                case HttpStatusCode.GatewayTimeout:
                    return new AwsDevException(ErrorIds.RequestTimeout, ErrorKind.OperationTimeout, message, target, service);
                case HttpStatusCode.ServiceUnavailable:
                case (HttpStatusCode)429:
                    return new AwsDevException(ErrorIds.AwsRequestFailed, ErrorKind.ResourceUnavailable, message, target, service);
                default:
                    return new AwsDevException(ErrorIds.AwsRequestFailed, ErrorKind.InvalidOperation, message, target, service);
            }
        }

        private static AwsDevException Unreachable(Exception error, string context, object? target) =>
            new AwsDevException(ErrorIds.EndpointUnreachable, ErrorKind.ConnectionError, $"{context}: the endpoint could not be reached ({error.Message}).", target, error);
    }
}
