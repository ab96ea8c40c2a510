/**
 * One cluster over several hosts (docs/scale-out.md): the SSH connection to each host, the agent
 * that runs there, and the VXLAN tunnels that join each LAN's bridges across hosts.
 */
package io.vmcluster.hosts;
