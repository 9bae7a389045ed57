import { useFleet } from '../../stores/fleet';

/** The latest alerts that fired and cleared, newest first, as the history keeps them. */
export function FleetAlertLog() {
  const history = useFleet((s) => s.history);
  return (
    <>
      <h2>Recent alerts</h2>
      {history.length === 0 ? (
        <p>No alert has fired yet.</p>
      ) : (
        <table className="table" data-testid="fleet-alert-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Alert</th>
              <th scope="col">Device</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr key={e.id}>
                <td>{e.timestamp}</td>
                <td>
                  {e.name}: {e.state}
                </td>
                <td>{e.device_id}</td>
                <td>
                  {e.metric} {e.value} (threshold {e.threshold})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
