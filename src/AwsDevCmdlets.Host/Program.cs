using System;
using System.Linq;
using AwsDevCmdlets.Host;

if (args.Length == 0 || args[0] is "-h" or "--help" or "-?")
{
    Console.WriteLine("usage: AwsDevCmdlets.Host <script.ps1> [arguments...]");
    Console.WriteLine("       AwsDevCmdlets.Host -Command '<script text>'");
    return 2;
}

if (args[0] == "--write-help" && args.Length == 4)
{
    // --write-help PAGES_FOLDER OUTPUT_XML MANIFEST
    System.IO.File.WriteAllText(args[2], HelpWriter.Generate(args[1], args[3]));
    Console.WriteLine($"Wrote {args[2]}");
    return 0;
}

var host = new TextHost(Console.Out, Console.Error, plainText: Console.IsOutputRedirected);
return args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase)
    ? ScriptRunner.Run(host, string.Join(" ", args.Skip(1)), isFile: false, Array.Empty<string>())
    : ScriptRunner.Run(host, args[0], isFile: true, args.Skip(1).ToArray());
