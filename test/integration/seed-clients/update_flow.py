# The seed's "Python - Complete Update Flow" (gateway-ota-recovery-api.rst), unchanged but for
# the base URL and the token, which the test passes in RIGGER_BASE and RIGGER_TOKEN.
import os
import requests
import time

# Check gateway status
headers = {"Authorization": f"Bearer {os.environ['RIGGER_TOKEN']}"}

status_response = requests.get(
    f"{os.environ['RIGGER_BASE']}/cloud-integration/gateway/status",
    headers=headers
)

status = status_response.json()
print(f"Gateway: {status['gateway']['name']}")
print(f"Active Partition: {status['partitions']['active']['version']}")

# Check for updates
updates_response = requests.get(
    f"{os.environ['RIGGER_BASE']}/cloud-integration/updates/check",
    headers=headers
)

updates = updates_response.json()

if updates['updates']:
    update = updates['updates'][0]  # Get first available update
    print(f"Available update: {update['version']} - {update['description']}")

    # Start download
    download_request = {
        "update_id": update['id'],
        "version": update['version'],
        "target_partition": "B"
    }

    download_response = requests.post(
        f"{os.environ['RIGGER_BASE']}/cloud-integration/updates/download",
        json=download_request,
        headers=headers
    )

    download_result = download_response.json()
    job_id = download_result['job_id']
    print(f"Download started: {job_id}")

    # Monitor progress
    while True:
        progress_response = requests.get(
            f"{os.environ['RIGGER_BASE']}/cloud-integration/updates/progress",
            params={"job_id": job_id},
            headers=headers
        )

        progress = progress_response.json()
        print(f"Progress: {progress['progress']['percentage']:.1f}%")

        if progress['status'] == 'downloaded':
            break

        time.sleep(5)

    # Install update
    install_request = {
        "job_id": job_id,
        "strategy": "seamless",
        "reboot_after": True
    }

    install_response = requests.post(
        f"{os.environ['RIGGER_BASE']}/cloud-integration/updates/install",
        json=install_request,
        headers=headers
    )

    print("Update installation started. System will reboot.")
