// The seed's "JavaScript - OTA Dashboard Control" (gateway-ota-recovery-api.rst), unchanged: it
// runs on a page of Rigger's origin (its fetches are relative), with the token in localStorage.
// Check for updates
async function checkForUpdates() {
    const token = localStorage.getItem('token');

    try {
        const response = await fetch('/cloud-integration/updates/check', {
            headers: {
                'Authorization': `Bearer ${token}`
            }
        });

        const data = await response.json();
        renderUpdatesList(data.updates);
        return data.updates;
    } catch (error) {
        console.error('Error checking updates:', error);
        showError('Failed to check for updates');
    }
}

// Start download
async function startDownload(updateId, version) {
    const token = localStorage.getItem('token');

    const requestBody = {
        update_id: updateId,
        version: version,
        target_partition: 'B'
    };

    try {
        const response = await fetch('/cloud-integration/updates/download', {
            method: 'POST',
            headers: {
                'Authorization': `Bearer ${token}`,
                'Content-Type': 'application/json'
            },
            body: JSON.stringify(requestBody)
        });

        const result = await response.json();

        if (result.status === 'started') {
            startProgressMonitoring(result.job_id);
            return result.job_id;
        } else {
            throw new Error(result.message || 'Download failed to start');
        }
    } catch (error) {
        console.error('Error starting download:', error);
        showError('Failed to start download');
    }
}

// Monitor progress
async function monitorProgress(jobId) {
    const token = localStorage.getItem('token');

    const interval = setInterval(async () => {
        try {
            const response = await fetch(`/cloud-integration/updates/progress?job_id=${jobId}`, {
                headers: {
                    'Authorization': `Bearer ${token}`
                }
            });

            const progress = await response.json();
            updateProgressUI(progress);

            if (progress.status === 'downloaded' || progress.status === 'failed') {
                clearInterval(interval);
                enableInstallButton(jobId);
            }
        } catch (error) {
            console.error('Error monitoring progress:', error);
        }
    }, 2000);
}
