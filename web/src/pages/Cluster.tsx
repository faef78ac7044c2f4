import { useEffect } from "preact/hooks";
import { cluster, type ClusterNode } from "../api";
import { FormErrors } from "../components/forms";
import { PageHeader } from "../components/Layout";
import { Loading, StatusBadge } from "../components/status";
import { useAsync } from "../components/useAsync";

function memory(value: string | undefined): string {
  const kib = Number((value ?? "").replace(/Ki$/, ""));
  return Number.isFinite(kib) && kib > 0 ? `${(kib / 1024 / 1024).toFixed(1)} GiB` : (value ?? "–");
}

/** The executor's nodes and the training runs on them (refreshed every few seconds). */
export function Cluster() {
  const nodes = useAsync(() => cluster.nodes(), []);
  useEffect(() => {
    const timer = setInterval(nodes.reload, 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <PageHeader title="Cluster" />
      {nodes.loading && !nodes.value && <Loading />}
      {nodes.error && <FormErrors messages={[nodes.error.message]} />}
      {nodes.value?.map((node, i) => <NodeCard key={i} node={node} />)}
    </>
  );
}

function NodeCard({ node }: { node: ClusterNode }) {
  const pods = node["Non-terminated Pods"];
  const info = node["System Info"];
  return (
    <section class="card" aria-label={`Node ${node.Addresses.Hostname ?? ""}`}>
      <div class="card-head">
        <h2>{node.Addresses.Hostname ?? "node"}</h2>
        <span class="muted">{node.Addresses.InternalIP}</span>
      </div>
      <div class="grid three">
        <div>
          <h3>Conditions</h3>
          <ul class="conditions">
            {node.Conditions.map((c) => (
              <li key={c.Type}>
                <span class={`badge badge-${(c.Type === "Ready") === (c.Status === "True") ? "good" : "bad"}`}>{c.Type}: {c.Status}</span> <span class="muted">{c.Message}</span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Capacity</h3>
          <dl class="facts">
            <div>
              <dt>CPU</dt>
              <dd>{node.Capacity.cpu} cores</dd>
            </div>
            <div>
              <dt>Memory</dt>
              <dd>
                {memory(node.Allocatable.memory)} free of {memory(node.Capacity.memory)}
              </dd>
            </div>
            <div>
              <dt>Runs at once</dt>
              <dd>{node.Capacity.pods}</dd>
            </div>
          </dl>
        </div>
        <div>
          <h3>System</h3>
          <dl class="facts">
            {Object.entries(info)
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
          </dl>
        </div>
      </div>
      <h3>Pods ({pods.length})</h3>
      {pods.length === 0 ? (
        <p class="empty">No unfinished runs on this node.</p>
      ) : (
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((p) => (
              <tr key={p.Name}>
                <td>{p.Name?.startsWith("run-") ? <a href={`/app/runs/${p.Name.slice(4)}/`}>{p.Name}</a> : p.Name}</td>
                <td>{p.Namespace}</td>
                <td>
                  <StatusBadge status={p.Status ?? ""} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
