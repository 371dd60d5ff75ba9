import * as React from "react";
import { Stack, Text } from "@fluentui/react";

export interface CustomerCardProps {
  title: string;
  recordName: string | null;
  emptyMessage: string;
}

export const CustomerCard: React.FC<CustomerCardProps> = ({ title, recordName, emptyMessage }) => (
  <Stack tokens={{ childrenGap: 4 }} aria-label={title}>
    <Text variant="mediumPlus" as="h2">{title}</Text>
    <Text>{recordName ?? emptyMessage}</Text>
  </Stack>
);
