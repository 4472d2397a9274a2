using System;
using System.Linq;
using AwsDevCmdlets.Host;

if (args.Length == 0 || args[0] is "-h" or "--help" or "-?")
{
    Console.WriteLine("usage: AwsDevCmdlets.Host <script.ps1> [arguments...]");
    Console.WriteLine("       AwsDevCmdlets.Host -Command '<script text>'");
    return 2;
}

var host = new TextHost(Console.Out, Console.Error, plainText: Console.IsOutputRedirected);
return args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase)
    ? ScriptRunner.Run(host, string.Join(" ", args.Skip(1)), isFile: false, Array.Empty<string>())
    : ScriptRunner.Run(host, args[0], isFile: true, args.Skip(1).ToArray());
