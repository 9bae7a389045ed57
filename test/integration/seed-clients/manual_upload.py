# The seed's "Python - Manual Image Upload", unchanged but for the base URL, the token and the
# image's file name (RIGGER_BASE, RIGGER_TOKEN, RIGGER_IMAGE).
import os

# Upload custom image
import requests

# Upload and verify
with open(os.environ['RIGGER_IMAGE'], 'rb') as f:
    files = {
        'file': ('custom-v5.1.0.img', f, 'application/octet-stream'),
        'version': (None, 'v5.1.0-custom')
    }

    verify_response = requests.post(
        f"{os.environ['RIGGER_BASE']}/cloud-integration/upload/verify",
        files=files,
        headers={"Authorization": f"Bearer {os.environ['RIGGER_TOKEN']}"}
    )

verify_result = verify_response.json()

if verify_result['status'] == 'verified':
    print(f"Image verified: {verify_result['file']['version']}")

    # Deploy verified image
    deploy_request = {
        "filename": verify_result['file']['name'],
        "version": verify_result['file']['version'],
        "target_partition": "B"
    }

    deploy_response = requests.post(
        f"{os.environ['RIGGER_BASE']}/cloud-integration/upload/deploy",
        json=deploy_request,
        headers={"Authorization": f"Bearer {os.environ['RIGGER_TOKEN']}"}
    )

    print(f"Deployment started: {deploy_response.json()['deployment_id']}")
else:
    print(f"Verification failed: {verify_result.get('error', 'Unknown error')}")
