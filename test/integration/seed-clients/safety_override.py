# The seed's "Python - Safety Override and Update", unchanged but for the base URL, the token
# and the PIN (RIGGER_BASE, RIGGER_TOKEN, RIGGER_PIN). The seed's snippet uses the `requests`
# import and the `headers` of its first example: they are set here the same way.
import os
import requests
headers = {"Authorization": f"Bearer {os.environ['RIGGER_TOKEN']}"}

# Check safety status
safety_response = requests.get(
    f"{os.environ['RIGGER_BASE']}/cloud-integration/safety/status",
    headers=headers
)

safety = safety_response.json()

if not safety['update_allowed']:
    print("Safety constraints blocking update")

    # Override safety (requires PIN)
    override_request = {
        "enable": True,
        "pin": os.environ['RIGGER_PIN'],
        "reason": "Emergency security update",
        "duration": 1800,
        "acknowledge_risks": True
    }

    override_response = requests.post(
        f"{os.environ['RIGGER_BASE']}/cloud-integration/safety/override",
        json=override_request,
        headers=headers
    )

    override_result = override_response.json()

    if override_result['status'] == 'override_enabled':
        print(f"Safety override enabled for {override_result['duration']} seconds")
        # Proceed with update...
    else:
        print("Safety override failed")
else:
    print("System ready for updates")
