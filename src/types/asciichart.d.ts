declare module 'asciichart' {
  export interface PlotConfig {
    min?: number
    max?: number
    offset?: number
    padding?: string
    height?: number
    colors?: Array<string | undefined>
    symbols?: string[]
    format?: (x: number, i: number) => string
  }
  export function plot(series: number[] | number[][], cfg?: PlotConfig): string
  export const blue: string
  export const green: string
  export const red: string
  export const yellow: string
  export const magenta: string
  export const cyan: string
  export const reset: string
  const asciichart: {
    plot: typeof plot
    blue: string
    green: string
    red: string
    yellow: string
    magenta: string
    cyan: string
    lightred: string
    reset: string
  }
  export default asciichart
}
