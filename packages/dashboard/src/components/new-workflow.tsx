import type { AgentCatalogEntry } from "@tandem/core";
import { useEffect, useState } from "preact/hooks";
import { useClient } from "../lib/client-context";
import { GenerateForm } from "./generate-form";
import { PasteForm } from "./paste-form";
import { WizardChat } from "./wizard-chat";

type Tab = "paste" | "generate" | "wizard";

const TABS: { id: Tab; label: string }[] = [
  { id: "paste", label: "Paste steps" },
  { id: "generate", label: "From a sentence" },
  { id: "wizard", label: "Wizard" },
];

/** The agents and actions the server has, as a reference next to the forms. */
function Catalog() {
  const client = useClient();
  const [agents, setAgents] = useState<AgentCatalogEntry[] | null>(null);
  useEffect(() => {
    client.agents().then(setAgents, () => setAgents([]));
  }, [client]);
  if (!agents) return null;
  return (
    <div class="panel stack small" data-testid="catalog">
      <h3>Agents on this server</h3>
      {agents.length === 0 ? <div class="muted">The catalog is not available.</div> : null}
      {agents.map((a) => (
        <div key={a.name}>
          <strong class="mono">{a.name}</strong>
          {a.actions.map((x) => (
            <div key={x.name} style={{ marginLeft: "10px" }}>
              <span class="mono">{x.name}</span>
              {x.needs_human ? " (needs approval)" : ""} <span class="muted">{x.description}</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

/**
 * Create a workflow: paste, generate from a sentence, or talk to the wizard. All three forms stay
 * mounted (the hidden ones with `hidden`), so switching tabs keeps what was pasted, drawn or said.
 */
export function NewWorkflow() {
  const [tab, setTab] = useState<Tab>("paste");
  return (
    <>
      <div class="page-head">
        <h1 class="grow">New workflow</h1>
      </div>
      <div class="workflow-grid narrow-side">
        <div class="panel">
          <div class="tabs" role="tablist">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-controls={`tabpanel-${t.id}`}
                aria-selected={tab === t.id}
                class={tab === t.id ? "active" : ""}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          {TABS.map((t) => (
            <div
              key={t.id}
              role="tabpanel"
              id={`tabpanel-${t.id}`}
              aria-labelledby={`tab-${t.id}`}
              hidden={tab !== t.id}
            >
              {t.id === "paste" ? <PasteForm /> : t.id === "generate" ? <GenerateForm /> : <WizardChat />}
            </div>
          ))}
        </div>
        <Catalog />
      </div>
    </>
  );
}
