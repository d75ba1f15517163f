package main

func (a, b int) {
}

func ok() {}
