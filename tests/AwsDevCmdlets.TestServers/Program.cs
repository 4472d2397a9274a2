using System;
using System.Threading;
using AwsDevCmdlets.TestServers;

// Runs the local stand-ins until the process is stopped (Ctrl+C or SIGTERM), after printing
// one line per server: NAME URL. Used by the quick start; the tests start the servers in-process.
using var sts = (StsStub)new StsStub()
    .AddCaller("AKIAQUICKSTARTDEMO01", $"arn:aws:iam::{StsStub.Account}:user/quickstart")
    .Start();
using var imds = (ImdsEmulator)new ImdsEmulator().Start();
Console.WriteLine($"sts {sts.Url}");
Console.WriteLine($"imds {imds.Url}");
Console.Out.Flush();

using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
stop.Wait();
return 0;
