-- wrk script: DescribeDatasetGroup over the AWS JSON 1.1 control plane.
-- The dataset group ARN comes from the environment variable TAILOR_ARN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AmazonPersonalize.DescribeDatasetGroup"
wrk.body = '{"datasetGroupArn":"' .. os.getenv("TAILOR_ARN") .. '"}'

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    os.exit(1)
  end
end
