using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace AwsDevCmdlets.Host
{
    /// <summary>
    /// Writes the module's MAML help from one Markdown page per cmdlet (module/help/NAME.md, in the
    /// platyPS layout) and the cmdlets' own metadata (parameter sets, types, positions, pipeline input),
    /// so syntax and parameter facts can never drift from the code.
    /// Written by hand because platyPS needs pwsh and is not served here; it fails on any cmdlet or
    /// parameter the pages do not describe.
    /// </summary>
    public static class HelpWriter
    {
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static readonly HashSet<string> CommonParameters = new HashSet<string>(
            Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

        private static readonly Dictionary<string, string> RiskMitigationText = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
            ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
        };

        /// <summary>Returns the MAML text for every cmdlet the manifest exports.</summary>
        public static string Generate(string pagesFolder, string manifestPath)
        {
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var powershell = PowerShell.Create();
            powershell.Runspace = runspace;
            var module = powershell.AddCommand("Import-Module").AddParameter("Name", manifestPath).AddParameter("PassThru").Invoke<PSModuleInfo>().Single();
            var cmdlets = module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

            var problems = new List<string>();
            var output = new StringBuilder();
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using (var xml = XmlWriter.Create(output, settings))
            {
                xml.WriteStartElement("helpItems", "http://msh");
                xml.WriteAttributeString("schema", "maml");
                foreach (var cmdlet in cmdlets)
                {
                    var page = Path.Combine(pagesFolder, cmdlet.Name + ".md");
                    if (!File.Exists(page))
                    {
                        problems.Add($"{cmdlet.Name}: no help page {page}");
                        continue;
                    }

                    WriteCommand(xml, cmdlet, HelpPage.Parse(File.ReadAllText(page)), problems);
                }

                xml.WriteEndElement();
            }

            if (problems.Count > 0)
            {
                throw new InvalidDataException("The help pages are incomplete:\n  " + string.Join("\n  ", problems));
            }

            return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal) + "\n";
        }

        private static void WriteCommand(XmlWriter xml, CmdletInfo cmdlet, HelpPage page, List<string> problems)
        {
            var parameters = cmdlet.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name) || RiskMitigationText.ContainsKey(p.Name))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            foreach (var parameter in parameters.Where(p => !RiskMitigationText.ContainsKey(p.Name) && !page.Parameters.ContainsKey(p.Name)))
            {
                problems.Add($"{cmdlet.Name}: parameter -{parameter.Name} is not described");
            }

            foreach (var described in page.Parameters.Keys.Where(k => !cmdlet.Parameters.ContainsKey(k)))
            {
                problems.Add($"{cmdlet.Name}: the page describes -{described}, which the cmdlet does not have");
            }

            if (page.Synopsis.Length == 0 || page.Examples.Count == 0)
            {
                problems.Add($"{cmdlet.Name}: a synopsis and at least one example are needed");
            }

            xml.WriteStartElement("command", "command", Command);
            xml.WriteAttributeString("xmlns", "maml", null, Maml);
            xml.WriteAttributeString("xmlns", "command", null, Command);
            xml.WriteAttributeString("xmlns", "dev", null, Dev);

            xml.WriteStartElement("details", Command);
            xml.WriteElementString("name", Command, cmdlet.Name);
            xml.WriteElementString("verb", Command, cmdlet.Verb);
            xml.WriteElementString("noun", Command, cmdlet.Noun);
            Paragraphs(xml, "description", page.Synopsis);
            xml.WriteEndElement();

            Paragraphs(xml, "description", page.Description);

            xml.WriteStartElement("syntax", Command);
            foreach (var set in cmdlet.ParameterSets.OrderByDescending(s => s.IsDefault).ThenBy(s => s.Name, StringComparer.Ordinal))
            {
                xml.WriteStartElement("syntaxItem", Command);
                xml.WriteElementString("name", Maml, cmdlet.Name);
                foreach (var p in set.Parameters.Where(p => !CommonParameters.Contains(p.Name) || RiskMitigationText.ContainsKey(p.Name))
                    .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position).ThenBy(p => !p.IsMandatory))
                {
                    WriteParameter(xml, cmdlet.Parameters[p.Name], p.IsMandatory, p.Position, p.ValueFromPipeline, p.ValueFromPipelineByPropertyName, DescriptionOf(page, p.Name));
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("parameters", Command);
            foreach (var parameter in parameters)
            {
                var attributes = parameter.ParameterSets.Values.ToList();
                WriteParameter(xml, parameter, attributes.All(a => a.IsMandatory) && attributes.Count > 0, attributes.Select(a => a.Position).DefaultIfEmpty(int.MinValue).Max(),
                    attributes.Any(a => a.ValueFromPipeline), attributes.Any(a => a.ValueFromPipelineByPropertyName), DescriptionOf(page, parameter.Name));
            }

            xml.WriteEndElement();

            TypeList(xml, "inputTypes", "inputType", page.Inputs);
            TypeList(xml, "returnValues", "returnValue", page.Outputs.Count > 0 ? page.Outputs : cmdlet.OutputType.Select(t => (t.Name, string.Empty)).ToList());

            if (page.Notes.Length > 0)
            {
                xml.WriteStartElement("alertSet", Maml);
                xml.WriteStartElement("alert", Maml);
                Para(xml, page.Notes);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteStartElement("examples", Command);
            foreach (var example in page.Examples)
            {
                xml.WriteStartElement("example", Command);
                xml.WriteElementString("title", Maml, $"-------------------------- {example.Title} --------------------------");
                xml.WriteElementString("code", Dev, example.Code);
                xml.WriteStartElement("remarks", Dev);
                Para(xml, example.Remarks);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("relatedLinks", Command);
            foreach (var link in page.Links)
            {
                xml.WriteStartElement("navigationLink", Maml);
                xml.WriteElementString("linkText", Maml, link);
                xml.WriteElementString("uri", Maml, string.Empty);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        private static string DescriptionOf(HelpPage page, string parameter) =>
            page.Parameters.TryGetValue(parameter, out var text) ? text : RiskMitigationText.TryGetValue(parameter, out var standard) ? standard : string.Empty;

        private static void WriteParameter(XmlWriter xml, ParameterMetadata parameter, bool mandatory, int position, bool byValue, bool byPropertyName, string description)
        {
            var isSwitch = parameter.SwitchParameter;
            xml.WriteStartElement("parameter", Command);
            xml.WriteAttributeString("required", mandatory ? "true" : "false");
            xml.WriteAttributeString("variableLength", "true");
            xml.WriteAttributeString("globbing", "false");
            xml.WriteAttributeString("pipelineInput", byValue && byPropertyName ? "True (ByPropertyName, ByValue)" : byValue ? "True (ByValue)" : byPropertyName ? "True (ByPropertyName)" : "False");
            xml.WriteAttributeString("position", position >= 0 ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named");
            xml.WriteAttributeString("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none");
            xml.WriteElementString("name", Maml, parameter.Name);
            Paragraphs(xml, "description", description, Maml);
            if (!isSwitch)
            {
                xml.WriteStartElement("parameterValue", Command);
                xml.WriteAttributeString("required", "true");
                xml.WriteAttributeString("variableLength", "false");
                xml.WriteString(TypeName(parameter.ParameterType));
                xml.WriteEndElement();
            }

            xml.WriteStartElement("type", Dev);
            xml.WriteElementString("name", Maml, parameter.ParameterType.FullName);
            xml.WriteElementString("uri", Maml, string.Empty);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        private static string TypeName(Type type) => type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;

        private static void TypeList(XmlWriter xml, string list, string item, IReadOnlyList<(string Type, string Text)> types)
        {
            xml.WriteStartElement(list, Command);
            foreach (var (typeName, text) in types)
            {
                xml.WriteStartElement(item, Command);
                xml.WriteStartElement("type", Dev);
                xml.WriteElementString("name", Maml, typeName);
                xml.WriteEndElement();
                Paragraphs(xml, "description", text, Maml);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        private static void Paragraphs(XmlWriter xml, string element, string text, string ns = Maml)
        {
            xml.WriteStartElement(element, ns);
            Para(xml, text);
            xml.WriteEndElement();
        }

        private static void Para(XmlWriter xml, string text)
        {
            foreach (var paragraph in Regex.Split(text.Trim(), @"\n\s*\n"))
            {
                xml.WriteElementString("para", Maml, Regex.Replace(paragraph.Trim(), @"\s*\n\s*", " "));
            }
        }

        /// <summary>One cmdlet's page: "## SECTION" headings, "### item" sub-headings, fenced code in examples.</summary>
        private sealed class HelpPage
        {
            public string Synopsis { get; private set; } = string.Empty;

            public string Description { get; private set; } = string.Empty;

            public string Notes { get; private set; } = string.Empty;

            public Dictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

            public List<(string Title, string Code, string Remarks)> Examples { get; } = new List<(string, string, string)>();

            public List<(string Type, string Text)> Inputs { get; } = new List<(string, string)>();

            public List<(string Type, string Text)> Outputs { get; } = new List<(string, string)>();

            public List<string> Links { get; } = new List<string>();

            public static HelpPage Parse(string markdown)
            {
                var page = new HelpPage();
                var sections = Regex.Split(markdown.Replace("\r\n", "\n", StringComparison.Ordinal), @"^## ", RegexOptions.Multiline).Skip(1);
                foreach (var section in sections)
                {
                    var newline = section.IndexOf('\n');
                    var heading = (newline < 0 ? section : section.Substring(0, newline)).Trim().ToUpperInvariant();
                    var body = newline < 0 ? string.Empty : section.Substring(newline + 1);
                    var items = Regex.Split(body, @"^### ", RegexOptions.Multiline);
                    var subsections = items.Skip(1).Select(i =>
                    {
                        var end = i.IndexOf('\n');
                        return (Title: (end < 0 ? i : i.Substring(0, end)).Trim(), Body: end < 0 ? string.Empty : i.Substring(end + 1).Trim());
                    }).ToList();
                    switch (heading)
                    {
                        case "SYNOPSIS": page.Synopsis = body.Trim(); break;
                        case "DESCRIPTION": page.Description = body.Trim(); break;
                        case "NOTES": page.Notes = body.Trim(); break;
                        case "PARAMETERS":
                            foreach (var (title, text) in subsections)
                            {
                                page.Parameters[title.TrimStart('-')] = text;
                            }

                            break;
                        case "EXAMPLES":
                            foreach (var (title, text) in subsections)
                            {
                                var code = Regex.Match(text, @"```[a-z]*\n(.*?)\n```", RegexOptions.Singleline);
                                page.Examples.Add((title, code.Groups[1].Value, text.Substring(code.Index + code.Length).Trim()));
                            }

                            break;
                        case "INPUTS": page.Inputs.AddRange(subsections); break;
                        case "OUTPUTS": page.Outputs.AddRange(subsections); break;
                        case "RELATED LINKS":
                            page.Links.AddRange(body.Split('\n').Select(l => l.Trim().TrimStart('-', '*').Trim()).Where(l => l.Length > 0));
                            break;
                    }
                }

                return page;
            }
        }
    }
}
