/** The domain's masker for texts shown in the page (a last guard; the API sends masked copies). */
import { Events, maskSecrets } from "@cratos/domain"

export const maskedText = (text: string): string => Events.maskText(maskSecrets, text)
