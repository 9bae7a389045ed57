// The seed's "JavaScript - Real-time Monitoring" (gateway-ota-recovery-api.rst), unchanged but
// for the WebSocket's URL: Rigger's, with its token, which the test page puts in RIGGER_WS_URL.
// WebSocket connection for real-time updates
const ws = new WebSocket(RIGGER_WS_URL);

ws.onopen = function() {
    console.log('Connected to OTA WebSocket');
};

ws.onmessage = function(event) {
    const message = JSON.parse(event.data);

    switch(message.type) {
        case 'progress_update':
            updateProgressBar(message.progress);
            updateStatusMessage(message.current_operation);
            updateETA(message.eta);
            break;

        case 'status_change':
            showNotification(message.message, message.severity);
            updateSystemStatus(message.system_status);
            break;

        case 'safety_alert':
            showSafetyAlert(message.constraint, message.message);
            if (message.action_required) {
                showActionButtons(message.suggested_action);
            }
            break;

        case 'job_complete':
            showCompletionMessage(message.message, message.status);
            if (message.status === 'success') {
                enableNextStep();
            }
            break;

        case 'system_event':
            if (message.event === 'reboot_scheduled') {
                startRebootCountdown(message.countdown);
            }
            break;
    }
};

ws.onerror = function(error) {
    console.error('WebSocket error:', error);
};

ws.onclose = function() {
    console.log('WebSocket connection closed');
};

// Update UI functions
function updateProgressBar(percentage) {
    document.getElementById('progress-bar').style.width = percentage + '%';
    document.getElementById('progress-text').textContent = percentage.toFixed(1) + '%';
}

function updateStatusMessage(operation) {
    document.getElementById('current-operation').textContent = operation;
}

function showNotification(message, severity) {
    const notification = document.createElement('div');
    notification.className = `notification ${severity}`;
    notification.textContent = message;
    document.getElementById('notifications').appendChild(notification);

    setTimeout(() => notification.remove(), 5000);
}
