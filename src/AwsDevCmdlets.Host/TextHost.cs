using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AwsDevCmdlets.Host
{
    /// <summary>
    /// A non-interactive PowerShell host that writes every stream to text writers, with a fixed width so
    /// that formatted output is the same on every machine.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextUserInterface _ui;

        /// <param name="plainText">
        /// Strip VT escape sequences. PowerShell leaves that to the host ($PSStyle.OutputRendering
        /// is honoured only by its console host), so a log or a test sees plain text only this way.
        /// </param>
        public TextHost(TextWriter output, TextWriter errors, bool plainText, int width = 120)
        {
            _ui = new TextUserInterface(plainText ? new PlainTextWriter(output) : output, plainText ? new PlainTextWriter(errors) : errors, width);
        }

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override string Name => "AwsDevCmdlets.Host";

        public override PSHostUserInterface UI => _ui;

        public override Version Version => typeof(TextHost).Assembly.GetName().Version ?? new Version(1, 0);

        public int ExitCode { get; private set; }

        public override void EnterNestedPrompt() => throw new NotSupportedException("This host is not interactive.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("This host is not interactive.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        private sealed class TextUserInterface : PSHostUserInterface
        {
            private readonly TextWriter _output;
            private readonly TextWriter _errors;
            private readonly FixedRawUserInterface _raw;

            public TextUserInterface(TextWriter output, TextWriter errors, int width)
            {
                _output = output;
                _errors = errors;
                _raw = new FixedRawUserInterface(width);
            }

            public override PSHostRawUserInterface RawUI => _raw;

            public override void Write(string value) => _output.Write(value);

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _output.Write(value);

            public override void WriteLine(string value) => _output.WriteLine(value);

            public override void WriteErrorLine(string value) => _errors.WriteLine(value);

            public override void WriteDebugLine(string message) => _output.WriteLine("DEBUG: " + message);

            public override void WriteVerboseLine(string message) => _output.WriteLine("VERBOSE: " + message);

            public override void WriteWarningLine(string message) => _output.WriteLine("WARNING: " + message);

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
                // Progress bars redraw a console in place; a text log would only fill with them.
            }

            public override string ReadLine() => throw NotInteractive();

            public override SecureString ReadLineAsSecureString() => throw NotInteractive();

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NotInteractive();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NotInteractive();

            private static Exception NotInteractive() => new PSInvalidOperationException("This host is not interactive: pass every value as a parameter.");
        }

        private sealed class PlainTextWriter : TextWriter
        {
            private static readonly System.Text.RegularExpressions.Regex Escape =
                new System.Text.RegularExpressions.Regex("\u001b\\[[0-9;?]*[A-Za-z]", System.Text.RegularExpressions.RegexOptions.Compiled);

            private readonly TextWriter _inner;

            public PlainTextWriter(TextWriter inner) => _inner = inner;

            public override System.Text.Encoding Encoding => _inner.Encoding;

            public override void Write(char value) => _inner.Write(value);

            public override void Write(string? value) => _inner.Write(value is null ? null : Escape.Replace(value, string.Empty));

            public override void WriteLine(string? value) => _inner.WriteLine(value is null ? null : Escape.Replace(value, string.Empty));

            public override void Flush() => _inner.Flush();
        }

        private sealed class FixedRawUserInterface : PSHostRawUserInterface
        {
            private readonly int _width;

            public FixedRawUserInterface(int width) => _width = width;

            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

            public override Size BufferSize { get => new Size(_width, 9999); set { } }

            public override Coordinates CursorPosition { get; set; }

            public override int CursorSize { get; set; }

            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

            public override bool KeyAvailable => false;

            public override Size MaxPhysicalWindowSize => new Size(_width, 9999);

            public override Size MaxWindowSize => new Size(_width, 9999);

            public override Coordinates WindowPosition { get; set; }

            public override Size WindowSize { get => new Size(_width, 50); set { } }

            public override string WindowTitle { get; set; } = "AwsDevCmdlets";

            public override void FlushInputBuffer()
            {
            }

            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
        }
    }
}
