import { useMemo, useState } from "preact/hooks";
import { createClient, type TokenStore } from "./api/client";
import { NewWorkflow } from "./components/new-workflow";
import { SchedulesPage } from "./components/schedules-page";
import { TokenDialog } from "./components/token-dialog";
import { WorkflowList } from "./components/workflow-list";
import { WorkflowPage } from "./components/workflow-page";
import { ClientContext } from "./lib/client-context";
import { useRoute } from "./lib/route";

const TOKEN_KEY = "tandem.token";

/** The token lives in sessionStorage: gone when the tab closes, never in a cookie the browser sends by itself. */
const sessionTokens: TokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY)),
};

interface Ask {
  reason: string;
  resolve: (token: string | null) => void;
}

/** Top bar, token prompt and the page for the current route. */
export function App() {
  const route = useRoute();
  const [ask, setAsk] = useState<Ask | null>(null);
  const client = useMemo(() => {
    // Requests that meet a 401 at the same time share one prompt.
    let pending: Promise<string | null> | null = null;
    return createClient({
      tokens: sessionTokens,
      askToken: (reason) => {
        pending ??= new Promise<string | null>((resolve) => setAsk({ reason, resolve })).finally(() => {
          pending = null;
        });
        return pending;
      },
    });
  }, []);

  const nav = [
    { page: "workflows", href: "#/", label: "Workflows" },
    { page: "new", href: "#/new", label: "New" },
    { page: "schedules", href: "#/schedules", label: "Schedules" },
  ];
  const current = route.page === "workflow" ? "workflows" : route.page;

  return (
    <ClientContext.Provider value={client}>
      <header class="topbar">
        <a class="brand" href="#/">
          Tandem<span>.</span>
        </a>
        <nav>
          {nav.map((n) => (
            <a key={n.page} href={n.href} class={current === n.page ? "active" : ""}>
              {n.label}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <span class="hint">workflows for agents, with people in the loop</span>
      </header>
      <main>
        {route.page === "workflows" ? <WorkflowList /> : null}
        {route.page === "workflow" ? <WorkflowPage key={route.id} id={route.id} step={route.step} /> : null}
        {route.page === "new" ? <NewWorkflow /> : null}
        {route.page === "schedules" ? <SchedulesPage /> : null}
      </main>
      {ask ? (
        <TokenDialog
          reason={ask.reason}
          onDone={(token) => {
            setAsk(null);
            ask.resolve(token);
          }}
        />
      ) : null}
    </ClientContext.Provider>
  );
}
