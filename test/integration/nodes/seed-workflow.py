# The seed node-ota-api.md's "Complete Firmware Update Workflow", steps 1 to 4, word for word.
# Only the client is ours: the seed leaves it abstract; this one takes a base URL and a token.
import json as jsonlib
import os
import sys
import urllib.error
import urllib.request


class Client:
    """Python's own urllib, so nothing beyond python3 is needed."""

    def __init__(self, base_url, token):
        self.base_url = base_url
        self.token = token

    def _call(self, path, body=None):
        data = None if body is None else jsonlib.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data)
        req.add_header("Authorization", self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req) as r:
                return jsonlib.loads(r.read())
        except urllib.error.HTTPError as e:
            print(f"HTTP {e.code}: {e.read().decode()}")
            sys.exit(2)

    def get(self, path):
        return self._call(path)

    def post(self, path, json):
        return self._call(path, json)


client = Client(os.environ["RIGGER_BASE_URL"], os.environ["RIGGER_TOKEN"])

# Step 1: Check for Available Update
# Check if update is available
response = client.get("/v1/user/nodes/ota_update?node_id=ABCD1234")

if response["ota_available"]:
    print(f"Update available: {response['fw_version']}")
    print(f"Description: {response['description']}")
    print(f"File size: {response['file_size']} bytes")

    ota_job_id = response["ota_job_id"]
else:
    print("No update available")
    exit()

# Step 2: Initiate Update
# Push update to device
client.post("/v1/user/nodes/ota_update", json={
    "ota_job_id": ota_job_id,
    "node_id": "ABCD1234"
})
print("Update initiated")

# Step 3: Monitor Progress
import time

while True:
    status = client.get(
        f"/v1/user/nodes/ota_status?node_id=ABCD1234&ota_job_id={ota_job_id}"
    )

    print(f"Status: {status['status']}")
    print(f"Info: {status.get('additional_info', 'N/A')}")

    if status["status"] in ["success", "failed", "rejected"]:
        break

    time.sleep(10)  # Poll every 10 seconds

# Step 4: Verify Update
# Get device config to confirm new firmware version
config = client.get("/v1/user/nodes/config?node_id=ABCD1234")
current_version = config["info"]["fw_version"]

print(f"Current firmware: {current_version}")
if current_version == "5.3.3":
    print("Update successful!")
else:
    print("Update may have failed - version mismatch")
