/** The domain's masker for texts shown in the page (a last guard; the API sends masked copies). */
import { Events, maskSecrets } from "@cratos/domain"

export const maskedText = (text: string): string => Events.maskText(maskSecrets, text)

/**
 * What the page shows of an event: the masked copies only. The raw `input` of a ToolInvoked and
 * `output` of a ToolCompleted are left out (their `*_masked` twins stay), and everything else goes
 * through the masker.
 */
export const maskedPayload = (event: { readonly type: string }): unknown => {
  const { input: _input, output: _output, ...rest } = event as { readonly input?: unknown; readonly output?: unknown }
  return maskSecrets(event.type === "ToolInvoked" || event.type === "ToolCompleted" ? rest : event)
}
