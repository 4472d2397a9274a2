using System;
using System.Management.Automation;

namespace AwsDevCmdlets
{
    /// <summary>Builds every ErrorRecord the module writes: stable id, mapped category, the input as target.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception error, object? target)
        {
            if (error is AwsDevException known)
            {
                var record = new ErrorRecord(known, known.ErrorId, CategoryOf(known.Kind), target ?? known.Target);
                return record;
            }

            // Anything else reaching here is a bug in the module, not an AWS answer: keep its type visible.
            return new ErrorRecord(error, ErrorIds.Unexpected, ErrorCategory.NotSpecified, target);
        }

        public static ErrorCategory CategoryOf(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case ErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case ErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case ErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case ErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case ErrorKind.OperationStopped: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
