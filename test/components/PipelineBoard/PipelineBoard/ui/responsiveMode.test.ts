import { ResponsiveMode } from "@fluentui/react";
import { responsiveModeOf } from "../../../../../components/PipelineBoard/PipelineBoard/ui/responsiveMode";

describe("responsiveModeOf", () => {
  it("puts a window width in Fluent's mode, each limit inclusive", () => {
    expect([320, 479, 480, 639, 640, 1023, 1024, 1365, 1366, 1919, 1920].map(responsiveModeOf)).toEqual([
      ResponsiveMode.small,
      ResponsiveMode.small,
      ResponsiveMode.medium,
      ResponsiveMode.medium,
      ResponsiveMode.large,
      ResponsiveMode.large,
      ResponsiveMode.xLarge,
      ResponsiveMode.xLarge,
      ResponsiveMode.xxLarge,
      ResponsiveMode.xxLarge,
      ResponsiveMode.xxxLarge,
    ]);
  });
});
