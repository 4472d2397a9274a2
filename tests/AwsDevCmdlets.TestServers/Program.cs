using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using AwsDevCmdlets.TestServers;

// Runs the local stand-ins until the process is stopped (Ctrl+C or SIGTERM), after printing
// one line per server: NAME URL. Used by the quick start; the tests start the servers in-process.
using var sts = (StsStub)new StsStub()
    .AddCaller("AKIAQUICKSTARTDEMO01", $"arn:aws:iam::{StsStub.Account}:user/quickstart")
    .Start();
using var imds = (ImdsEmulator)new ImdsEmulator().Start();
using var s3 = args.Contains("--no-s3") ? null : LocalS3.Start();
Console.WriteLine($"sts {sts.Url}");
Console.WriteLine($"imds {imds.Url}");
if (s3 != null)
{
    Console.WriteLine($"s3 {s3.Url}");
}

Console.WriteLine("ready");
Console.Out.Flush();

using var stop = new ManualResetEventSlim();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Set(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Set(); });
stop.Wait();
return 0;
