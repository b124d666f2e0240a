/**
 * The API client, handed to every component through context so tests and pages share one instance.
 * @module
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Client } from "../api/client";

export const ClientContext = createContext<Client | null>(null);

/** The client of the nearest provider; a missing provider is a programming error. */
export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient() outside <ClientContext.Provider>");
  return client;
}
