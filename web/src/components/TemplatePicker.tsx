import type { Meta } from "../types";

// The preview pictures (docs/previews/*.png, made by `make previews`), bundled at build time.
const previewFiles = import.meta.glob("../../../docs/previews/*.png", {
  eager: true,
  query: "?url",
  import: "default",
}) as Record<string, string>;

export const PREVIEWS: Record<string, string> = Object.fromEntries(
  Object.entries(previewFiles).map(([path, url]) => [path.replace(/^.*\/(.*)\.png$/, "$1"), url]),
);

interface Props {
  templates: Meta["templates"];
  value: string;
  onChange: (name: string) => void;
}

/** Radio buttons shown as the templates' preview pictures. */
export function TemplatePicker({ templates, value, onChange }: Props) {
  return (
    <fieldset className="card">
      <legend>Template</legend>
      <div className="templates">
        {templates.map((template) => (
          <label key={template.name} className={`template${template.name === value ? " chosen" : ""}`}>
            <input
              type="radio"
              name="template"
              value={template.name}
              checked={template.name === value}
              onChange={() => onChange(template.name)}
              aria-labelledby={`template-${template.name}-name`}
              aria-describedby={`template-${template.name}-text`}
            />
            {PREVIEWS[template.name] ? (
              <img src={PREVIEWS[template.name]} alt="" width={170} height={220} loading="lazy" />
            ) : (
              <span className="no-preview">no preview</span>
            )}
            <span className="template-name" id={`template-${template.name}-name`}>
              {template.name}
            </span>
            <span className="template-text" id={`template-${template.name}-text`}>
              {template.description}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function ProviderSelect({
  id,
  providers,
  value,
  onChange,
}: {
  id: string;
  providers: Meta["providers"];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>AI provider</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={`${id}-note`}>
        {providers.map((provider) => (
          <option key={provider.name} value={provider.name}>
            {provider.name}
            {provider.default ? " (default)" : ""}
          </option>
        ))}
      </select>
      <span id={`${id}-note`} className="note">
        Those this server has configured. Every line any provider writes passes the truthfulness guard.
      </span>
    </div>
  );
}
