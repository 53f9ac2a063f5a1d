import { useState } from "react";
import { apiKey, setApiKey } from "../api";

/** The API key, kept for this tab only (sessionStorage) and sent as `X-API-Key`. */
export function ApiKeyField() {
  const [value, setValue] = useState(apiKey);
  return (
    <div className="api-key">
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby="api-key-note"
        onChange={(event) => {
          setValue(event.target.value);
          setApiKey(event.target.value.trim());
        }}
      />
      <span id="api-key-note" className="note">
        Kept in this tab only; sent as X-API-Key.
      </span>
    </div>
  );
}
