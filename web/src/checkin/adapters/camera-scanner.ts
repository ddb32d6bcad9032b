// Scanning QR codes with the device camera, where the browser has BarcodeDetector with `qr_code`
// (Chromium on Android, ChromeOS and macOS; not desktop Linux or Windows, nor Firefox). Pasting or a
// keyboard-like handheld scanner works everywhere; this is the extra for phones and tablets.
import { abortable, onAbort } from '../../shared/core/abort.ts'

interface DetectedBarcode {
  rawValue: string
}

interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>
}

interface BarcodeDetectorConstructor {
  new (options: { formats: string[] }): BarcodeDetectorInstance
  getSupportedFormats(): Promise<string[]>
}

function detectorClass(): BarcodeDetectorConstructor | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector
}

/** Whether `Scan with camera` can work here: a camera API and a detector that reads QR codes. */
export async function cameraScanSupported(): Promise<boolean> {
  const Detector = detectorClass()
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return false
  try {
    return (await Detector.getSupportedFormats()).includes('qr_code')
  } catch {
    return false
  }
}

/**
 * A camera sees the same QR code in many frames in a row. The guard lets a code through once, then
 * ignores it until it has been out of sight (not offered) for `quietMs`. Another code always passes.
 */
export function createRepeatGuard(quietMs: number, now: () => number): (code: string) => boolean {
  let last: { code: string; seenAt: number } | undefined
  return (code) => {
    const time = now()
    const repeat = last !== undefined && last.code === code && time - last.seenAt < quietMs
    last = { code, seenAt: time }
    return !repeat
  }
}

/** Between detection attempts: a few a second find a held-up code quickly without heating a phone. */
const FRAME_INTERVAL_MS = 150

/**
 * Shows the camera in `video` and calls `onCode` for each code seen, until `signal` aborts; then the
 * camera is released (its light goes off). Rejects if the camera cannot be opened.
 */
export async function scanWithCamera(video: HTMLVideoElement, onCode: (code: string) => void, signal: AbortSignal): Promise<void> {
  const Detector = detectorClass()
  if (!Detector) throw new Error('this browser cannot read QR codes from the camera')
  const detector = new Detector({ formats: ['qr_code'] })
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  const release = () => {
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }
  onAbort(signal, release)
  if (signal.aborted) return
  video.srcObject = stream
  await video.play().catch(() => undefined)

  while (!signal.aborted) {
    // HAVE_CURRENT_DATA: a frame to look at.
    if (video.readyState >= 2) {
      const codes = await detector.detect(video).catch(() => [])
      if (signal.aborted) break
      for (const code of codes) if (code.rawValue) onCode(code.rawValue)
    }
    await abortable(signal, (resolve) => {
      const timer = setTimeout(resolve, FRAME_INTERVAL_MS)
      return () => clearTimeout(timer)
    }).catch(() => undefined)
  }
}
