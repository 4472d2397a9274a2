using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// Reads the payload out of an aws-chunked body (SigV4 streaming: "SIZE;chunk-signature=...\r\n
    /// DATA\r\n" ... "0\r\n" then optional trailers such as x-amz-checksum-crc32), as S3 itself does.
    /// </summary>
    public sealed class AwsChunkedDecodingStream : Stream
    {
        private readonly Stream _inner;
        private long _chunkRemaining;
        private bool _finished;

        public AwsChunkedDecodingStream(Stream inner) => _inner = new BufferedStream(inner, 1 << 16);

        /// <summary>The trailer lines after the last chunk ("x-amz-checksum-crc32:AAAAAA==").</summary>
        public string Trailers { get; private set; } = string.Empty;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            await ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_finished || buffer.Length == 0)
            {
                return 0;
            }

            if (_chunkRemaining == 0)
            {
                var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                var size = header.Split(';')[0].Trim();
                _chunkRemaining = Convert.ToInt64(size, 16);
                if (_chunkRemaining == 0)
                {
                    var trailers = new StringBuilder();
                    for (var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false); line.Length > 0; line = await ReadLineAsync(cancellationToken).ConfigureAwait(false))
                    {
                        trailers.AppendLine(line);
                    }

                    Trailers = trailers.ToString();
                    _finished = true;
                    return 0;
                }
            }

            var read = await _inner.ReadAsync(buffer.Slice(0, (int)Math.Min(buffer.Length, _chunkRemaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The aws-chunked body ended inside a chunk.");
            }

            _chunkRemaining -= read;
            if (_chunkRemaining == 0)
            {
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            return read;
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (await _inner.ReadAsync(one.AsMemory(), cancellationToken).ConfigureAwait(false) == 0)
                {
                    return line.ToString();
                }

                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
