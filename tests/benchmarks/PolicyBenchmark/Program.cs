using System.Diagnostics;
using AwsDevCmdlets;
using AwsDevCmdlets.Core.Policy;

// A 20-statement identity policy with conditions (string, IP, bool, date, set operators, variables),
// evaluated on one thread against a rotating set of requests, for about two seconds after a warm-up.
const double Aim = 200_000;
var statements = new List<string>();
for (var i = 0; i < 16; i++)
{
    statements.Add($$"""
        { "Sid": "Service{{i}}", "Effect": "Allow", "Action": ["svc{{i}}:Get*", "svc{{i}}:List*"], "Resource": "arn:aws:svc{{i}}:*:111122223333:thing/${aws:username}/*",
          "Condition": { "StringEquals": { "aws:RequestedRegion": ["eu-west-1", "eu-west-2"] }, "IpAddress": { "aws:SourceIp": "10.{{i}}.0.0/16" } } }
        """);
}

statements.Add("""{ "Sid": "S3Home", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*", "Condition": { "Bool": { "aws:SecureTransport": "true" } } }""");
statements.Add("""{ "Sid": "Tags", "Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": { "ForAllValues:StringEquals": { "aws:TagKeys": ["env", "team", "cost"] } } }""");
statements.Add("""{ "Sid": "Expiry", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": { "DateGreaterThan": { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } }""");
statements.Add("""{ "Sid": "NoIam", "Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*", "s3:*", "svc*:*", "ec2:*"], "Resource": "*" }""");
var policy = PolicyDocument.Parse($$"""{ "Version": "2012-10-17", "Statement": [ {{string.Join(",\n", statements)}} ] }""", "bench");
var set = new PolicySet { Identity = new[] { policy } };

var random = new Random(7);
var requests = Enumerable.Range(0, 1000).Select(i =>
{
    var service = random.Next(20);
    var action = service < 16 ? $"svc{service}:GetThing" : service == 16 ? "s3:GetObject" : service == 17 ? "ec2:CreateTags" : "iam:CreateUser";
    var resource = service < 16 ? $"arn:aws:svc{service}:eu-west-1:111122223333:thing/alice/{i}" : $"arn:aws:s3:::home/alice/{i}";
    var context = new RequestContext("arn:aws:iam::111122223333:user/alice", null, new Dictionary<string, ContextValue>
    {
        ["aws:RequestedRegion"] = ContextValue.Single(i % 3 == 0 ? "us-east-1" : "eu-west-1"),
        ["aws:SourceIp"] = ContextValue.Single($"10.{service}.{i % 250}.7"),
        ["aws:SecureTransport"] = ContextValue.Single("true"),
        ["aws:CurrentTime"] = ContextValue.Single("2026-11-24T06:00:00Z"),
        ["aws:TagKeys"] = ContextValue.Multi(i % 2 == 0 ? new[] { "env" } : new[] { "env", "secret" }),
    });
    return (action, resource, context);
}).ToArray();

var allowed = 0;
void Run(int count)
{
    for (var i = 0; i < count; i++)
    {
        var (action, resource, context) = requests[i % requests.Length];
        if (PolicyEvaluator.Evaluate(set, action, resource, context).Decision == PolicyDecisionType.Allowed)
        {
            allowed++;
        }
    }
}

Run(50_000);
allowed = 0;
var clock = Stopwatch.StartNew();
var done = 0;
while (clock.Elapsed < TimeSpan.FromSeconds(2))
{
    Run(10_000);
    done += 10_000;
}

var rate = done / clock.Elapsed.TotalSeconds;
Console.WriteLine($"Policy: {policy.Statements.Count} statements with conditions; {requests.Length} distinct requests; {allowed * 100.0 / done:0}% allowed.");
Console.WriteLine($"Decisions per second on one thread: {rate:N0}");
Console.WriteLine($"Ratio to the aim of {Aim:N0}/s: {rate / Aim:0.00}x");
