#!/usr/bin/env bash
# Copy-DevS3Item against `aws s3 cp` (the AWS CLI v2 from Debian's awscli package), side by side in one
# run, against the same local S3 endpoint (s3rver behind the repository's compatibility proxy):
# one 1 GiB file each way, and 2,000 files of 4 KiB each way. Prints wall time and client CPU time
# (user + system) of each, and the ratios. s3rver is single-threaded and slow, so this compares the
# clients on an equal footing, not against S3's limits. Run it with ./build.sh bench-s3.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
aws=/usr/bin/aws
if [ ! -x "$aws" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
fi
host="$root/src/AwsDevCmdlets.Host/bin/Release/net10.0/AwsDevCmdlets.Host.dll"
servers_dll="$root/tests/AwsDevCmdlets.TestServers/bin/Release/net10.0/AwsDevCmdlets.TestServers.dll"
work=$(mktemp -d /tmp/awsdev-bench-XXXXXX)
endpoints="$work/endpoints"
dotnet "$servers_dll" >"$endpoints" 2>&1 </dev/null &
servers=$!
trap 'kill $servers 2>/dev/null || true; wait $servers 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$endpoints" && break; sleep 0.1; done
s3=$(awk '/^s3 /{print $2}' "$endpoints")

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_SHARED_CREDENTIALS_FILE="$work/none" AWS_CONFIG_FILE="$work/none"
unset AWS_CA_BUNDLE AWS_PROFILE || true

echo "Preparing data in $work ..."
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/1g.bin"
mkdir -p "$work/small"
for i in $(seq -w 1 2000); do head -c 4096 /dev/urandom >"$work/small/f$i.bin"; done

ours() { dotnet "$host" -Command "Import-Module '$root/AwsDevCmdlets.psd1'; Set-DevCredential -AccessKey S3RVER -SecretKey S3RVER -EndpointUrl '$s3' -Region us-east-1; $1"; }
theirs() { "$aws" --endpoint-url "$s3" --no-progress --only-show-errors s3 "$@"; }

ours "New-DevS3Bucket bench | Out-Null"

TIMEFORMAT='%R %U %S'
measure() { # name, command...
  local name=$1; shift
  local t
  t=$( { time "$@" >/dev/null 2>"$work/err"; } 2>&1 ) || { echo "$name failed:"; cat "$work/err"; exit 1; }
  echo "$name $t" >>"$work/results"
}

measure "up-1g-aws"   theirs cp "$work/1g.bin" s3://bench/aws/1g.bin
measure "up-1g-ours"  ours "Copy-DevS3Item '$work/1g.bin' s3://bench/ours/1g.bin"
measure "down-1g-aws"  theirs cp s3://bench/aws/1g.bin "$work/1g-aws.bin"
measure "down-1g-ours" ours "Copy-DevS3Item s3://bench/ours/1g.bin '$work/1g-ours.bin'"
measure "up-2000-aws"   theirs cp "$work/small" s3://bench/aws/small/ --recursive
measure "up-2000-ours"  ours "Copy-DevS3Item '$work/small' s3://bench/ours/small/ -Recurse"
measure "down-2000-aws"  theirs cp s3://bench/aws/small/ "$work/small-aws" --recursive
measure "down-2000-ours" ours "Copy-DevS3Item s3://bench/ours/small/ '$work/small-ours' -Recurse"

cmp "$work/1g.bin" "$work/1g-aws.bin" && cmp "$work/1g.bin" "$work/1g-ours.bin"
diff -r "$work/small" "$work/small-aws" >/dev/null && diff -r "$work/small" "$work/small-ours" >/dev/null
echo "All copies byte-identical to the originals."

echo
printf '%-26s %10s %10s %10s %10s %9s %9s\n' "transfer" "aws wall" "ours wall" "aws cpu" "ours cpu" "wall x" "cpu x"
for case in up-1g down-1g up-2000 down-2000; do
  read -r _ aw au as < <(grep "^$case-aws " "$work/results")
  read -r _ ow ou os < <(grep "^$case-ours " "$work/results")
  awk -v c="$case" -v aw="$aw" -v ow="$ow" -v ac="$(echo "$au + $as" | bc)" -v oc="$(echo "$ou + $os" | bc)" 'BEGIN {
    label = c; sub("up-", "upload ", label); sub("down-", "download ", label); sub("1g", "1 GiB file", label); sub("2000", "2,000 x 4 KiB", label)
    printf "%-26s %9.2fs %9.2fs %9.2fs %9.2fs %8.2fx %8.2fx\n", label, aw, ow, ac, oc, aw / ow, ac / oc }'
done
echo "(x = aws / ours: above 1 means Copy-DevS3Item took less. Our times include starting a .NET host and importing the module.)"
